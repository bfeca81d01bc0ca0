"""How the CLI prints: JSON for programs, Rich for people, errors on stderr."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console

from failwise.domain.decision import FailurePolicy
from failwise.domain.effort import rir_from_rpe, validate_rir
from failwise.domain.errors import InvalidEffort, InvalidInput

console = Console(highlight=False)

POLICY_STYLE = {
    FailurePolicy.GO: "bold green",
    FailurePolicy.AVOID: "bold yellow",
    FailurePolicy.NEVER: "bold red",
}


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout, nothing else."""
    print(json.dumps(data, indent=2, ensure_ascii=False))


def rir_option(rir: float | None, rpe: float | None, *, required: bool) -> float:
    """The RIR a command was given, by ``--rir`` or ``--rpe`` (not both)."""
    if rir is not None and rpe is not None:
        raise InvalidEffort("give either --rir or --rpe, not both")
    if rpe is not None:
        return rir_from_rpe(rpe)
    if rir is not None:
        return validate_rir(rir)
    if required:
        raise InvalidInput("give the effort with --rir or --rpe")
    return 0.0


def fmt(value: float, digits: int = 1) -> str:
    """A number without trailing zeros: 112.5, 100, 1.25."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"
