"""How the CLI prints: JSON for programs, Rich for people, errors on stderr.

Data a lifter or a file gave (exercise names, notes, workout notes, usernames,
errors that quote input) never reaches the terminal with its control
characters: an escape sequence in an exercise name could clear the screen,
recolour the rest of the output, retitle the window or hide text, and a CR could
print over a line. :func:`terminal_safe` drops them (C0 but tab and line feed, DEL,
C1, and whole ``ESC``/CSI/OSC sequences); :func:`shown` also escapes Rich markup, a
different thing (a name holding ``[/]`` would break a table, ``[red]`` recolour it),
and is what a command puts data into a Rich string with. Whatever goes through
:data:`console` is cleaned once more as it is written, so a string a command forgot
to pass through :func:`shown` still cannot carry a control character to the
terminal; errors (:func:`error_line`) and JSON (:func:`emit_json`) are cleaned too.

Rich is imported when a command first prints for people: :data:`console` is made on
first use (:mod:`~failwise.adapters.cli.terminal`), so a command asked for ``--json``
starts without Rich's console (about 10 ms).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from failwise.domain.decision import FailurePolicy
from failwise.domain.effort import rir_from_rpe, validate_rir
from failwise.domain.errors import InvalidEffort, InvalidInput

if TYPE_CHECKING:
    from rich.console import Console

# ECMA-48: a CSI sequence (ESC [ or the 8-bit CSI) with its parameters and final byte;
# OSC, DCS, SOS, PM and APC strings up to their terminator (BEL or ST); any other escape
# with its intermediate and final bytes. Of a sequence never closed only the control
# characters go: the rest is printable text, shown as such.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)
# C0 but tab and line feed, DEL and C1 (a CR is made a line feed first).
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What JSON leaves as it is but a terminal may act on: DEL and C1 (JSON escapes C0).
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` as a terminal may print it: no escape sequence, no control character
    but tab and line feed (CRLF and a lone CR become a line feed).

    >>> terminal_safe("\\x1b[2J\\x1b[31mRED\\x1b[0m Lift")
    'RED Lift'
    >>> terminal_safe("\\x1b]0;owned\\x07title\\x9b31mC1\\x7f\\x08 set\\r\\nline")
    'titleC1 set\\nline'
    """
    if not CONTROLS.search(text):
        return text
    text = _SEQUENCES.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return CONTROLS.sub("", text)


def shown(text: object) -> str:
    """Data for a Rich string: terminal-safe, and its markup escaped.

    >>> shown("[red]\\x1b[5mblink[/]")
    '\\\\[red]blink\\\\[/]'
    """
    from rich.markup import escape

    return escape(terminal_safe(str(text)))


def error_line(error: object) -> str:
    """An error message for stderr (plain text, not Rich): terminal-safe."""
    return "error: " + terminal_safe(str(error))


if TYPE_CHECKING:
    console: Console
    """The Rich console the commands print to for people (made on first use)."""


def __getattr__(name: str) -> Any:
    """:data:`console`, made the first time a command prints for people (PEP 562)."""
    if name == "console":
        from failwise.adapters.cli.terminal import cleaned_console

        made = cleaned_console()
        globals()["console"] = made
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


POLICY_STYLE = {
    FailurePolicy.GO: "bold green",
    FailurePolicy.AVOID: "bold yellow",
    FailurePolicy.NEVER: "bold red",
}


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout, nothing else.

    JSON escapes C0 itself; DEL and C1, which it may leave raw, are written as
    ``\\u`` escapes: the same JSON to a program, nothing a terminal acts on.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    print(_JSON_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text))


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
