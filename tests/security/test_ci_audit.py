"""CI's dependency audit (.ci/audit-dependencies) on canned pip-audit answers.

It fails on a known vulnerability; when nothing could be audited (no network, or a
PyPI mirror without the per-version JSON) it says so loudly and lets CI go on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit-dependencies"


def run_with(tmp_path: Path, stdout: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "pip-audit"
    fake.write_text(
        f"#!{sys.executable}\nimport sys\nsys.stdout.write({stdout!r})\nsys.exit({code})\n"
    )
    fake.chmod(0o755)
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        env={**os.environ, "FAILWISE_PIP_AUDIT": str(fake)},
        timeout=60,
        check=False,
    )


def report(*dependencies: dict[str, Any]) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails_ci(tmp_path: Path) -> None:
    vulnerable = {
        "name": "starlette",
        "version": "0.1",
        "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["0.2"], "description": "…"}],
    }
    done = run_with(tmp_path, report(vulnerable, {"name": "rich", "version": "1", "vulns": []}), 1)
    assert done.returncode == 1
    assert "VULNERABLE: starlette 0.1: GHSA-xxxx (fixed in 0.2)" in done.stdout


@pytest.mark.parametrize(
    ("stdout", "code"),
    [
        (report({"name": "rich", "skip_reason": "Dependency not found on PyPI and could not"}), 0),
        ("", 1),  # pip-audit itself failed: no network at all
    ],
)
def test_an_unreachable_database_is_said_loudly_and_does_not_fail(
    tmp_path: Path, stdout: str, code: int
) -> None:
    done = run_with(tmp_path, stdout, code)
    assert done.returncode == 0
    assert "THE DEPENDENCY AUDIT DID NOT HAPPEN" in done.stdout
    assert "could not reach the vulnerability database" in done.stdout


def test_a_clean_audit_says_how_many_packages_were_checked(tmp_path: Path) -> None:
    clean = report(
        {"name": "rich", "version": "1", "vulns": []},
        {"name": "odd", "skip_reason": "not on PyPI"},
    )
    done = run_with(tmp_path, clean)
    assert done.returncode == 0
    assert "1 packages audited, no known vulnerabilities" in done.stdout
    assert "1 package(s) could not be audited: odd" in done.stdout
