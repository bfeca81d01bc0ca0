"""What the project installs: dependency floors past known vulnerabilities, PostgreSQL
as an extra, and `make run` without the test tools."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

# The first versions without the vulnerability named.
PATCHED = {
    "starlette": "0.40",  # CVE-2024-47874: multipart/form-data fields without a size limit
    "python-multipart": "0.0.18",  # CVE-2024-53981: DoS by junk before a boundary
    "jinja2": "3.1.6",  # CVE-2025-27516: sandbox escape through the |attr filter
}


def _requirements(entries: list[str]) -> dict[str, Requirement]:
    return {(r := Requirement(entry)).name.lower(): r for entry in entries}


def test_floors_admit_no_version_with_a_known_vulnerability() -> None:
    runtime = _requirements(PROJECT["dependencies"])
    for name, patched in PATCHED.items():
        floors = [
            Version(spec.version) for spec in runtime[name].specifier if spec.operator == ">="
        ]
        assert floors and min(floors) >= Version(patched), (name, str(runtime[name].specifier))
        # and what this environment runs satisfies them
        assert runtime[name].specifier.contains(version(name), prereleases=True), name


def test_postgresql_is_an_extra_that_the_dev_extra_brings() -> None:
    runtime = _requirements(PROJECT["dependencies"])
    extras = PROJECT["optional-dependencies"]
    assert "psycopg" not in runtime
    assert "psycopg" in _requirements(extras["postgresql"])
    dev = _requirements(extras["dev"])
    assert "postgresql" in dev["failwise"].extras


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_run_installs_the_app_alone_and_make_test_the_dev_extra() -> None:
    def planned(target: str) -> str:
        # -n: print, run nothing; -B: as on a fresh clone, every stamp out of date.
        done = subprocess.run(
            ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return done.stdout

    run = planned("run")
    assert "pip install" in run and " -e .\n" in run and "[dev]" not in run
    assert "[dev]" in planned("test") and "[dev]" in planned("install")
