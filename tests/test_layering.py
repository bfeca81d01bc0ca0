"""The architecture holds: adapters → services → domain, and a pure domain."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import failwise

PACKAGE = Path(failwise.__file__).parent
ROOT = PACKAGE.parent.parent


def test_import_contracts_are_kept() -> None:
    linter = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run(
        [linter, "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# What a pure function of its arguments may import (the architecture: standard library
# only, numpy where a kernel needs it; no clock, no environment, no random).
ALLOWED_IN_DOMAIN = {
    "__future__",
    "collections",
    "dataclasses",
    "difflib",
    "enum",
    "functools",
    "itertools",
    "math",
    "re",
    "statistics",
    "typing",
    "bisect",
    "numpy",
    "failwise",
    "datetime",
    "operator",
    "fractions",
    "decimal",
    "unicodedata",
}


def test_domain_imports_only_pure_modules() -> None:
    offenders = []
    for path in sorted((PACKAGE / "domain").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in ALLOWED_IN_DOMAIN:
                    offenders.append(f"{path.name}: {name}")
                if top == "failwise" and not name.startswith("failwise.domain"):
                    offenders.append(f"{path.name}: {name} (outside the domain)")
    assert offenders == []


def test_domain_never_reads_the_clock() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        text = path.read_text("utf-8")
        for call in ("datetime.now(", "date.today(", "utcnow(", "time.time("):
            assert call not in text, f"{path.name} reads the clock with {call}"


def _imported_by(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


COMPOSITION_ROOTS = {"adapters/web/app.py", "adapters/cli/wiring.py"}


def test_only_the_composition_roots_open_storage_and_only_storage_speaks_sql() -> None:
    opens_storage, speaks_sql = set(), set()
    for module in PACKAGE.rglob("*.py"):
        where = module.relative_to(PACKAGE).as_posix()
        if where.startswith("storage/"):
            continue
        imported = _imported_by(module)
        if any(name.split(".")[:2] == ["failwise", "storage"] for name in imported):
            opens_storage.add(where)
        if any(name.split(".")[0] in {"sqlalchemy", "alembic", "psycopg"} for name in imported):
            speaks_sql.add(where)
    assert opens_storage == COMPOSITION_ROOTS
    assert speaks_sql == set()


def test_the_command_line_and_the_web_app_never_import_each_other() -> None:
    for side, other in (("cli", "web"), ("web", "cli")):
        for module in (PACKAGE / "adapters" / side).rglob("*.py"):
            imported = _imported_by(module)
            assert not any(name.startswith(f"failwise.adapters.{other}") for name in imported), (
                module
            )
