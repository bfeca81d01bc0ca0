"""Reading other apps' exports: Strong, Hevy, FitNotes, Liftosaur, Fitbod, StrongLifts 5×5,
Alpha Progression and JEFIT.

Each format lives in its own module and turns the decoded text of one export
into a :class:`~failwise.services.imports.ParsedFile`: the sets it read,
loads in kg, and a :class:`~failwise.services.imports.Problem` for every
line it could not read, with the physical line of the file (the header is
line 1). Storing the sets is the import service's job.

>>> header = (b"Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,"
...           b"Distance,Seconds,Notes,Workout Notes,RPE")
>>> detect_format(header.decode())
'strong'
>>> row = b"2023-05-01 18:04:12,Push,1h 2m,Squat (Barbell),1,100,5,0,0,,,8"
>>> text = read_text(b"\\xef\\xbb\\xbf" + header + b"\\r\\n" + row + b"\\r\\n")
>>> parsed = parse(text)
>>> parsed.format, parsed.sets[0].load_kg, parsed.sets[0].rir, parsed.problems
('strong', 100.0, 2.0, [])
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping

from failwise.adapters.importers import (
    alpha_progression,
    failwise_format,
    fitbod,
    fitnotes,
    hevy,
    jefit,
    liftosaur,
    strong,
    stronglifts,
)
from failwise.adapters.importers._csv import header_line as first_line
from failwise.adapters.importers._csv import strip_bom
from failwise.adapters.importers._sets import Parser
from failwise.domain.errors import InvalidInput
from failwise.services.imports import ParsedFile
from failwise.services.imports.collector import collector_paused

__all__ = ["DESCRIPTIONS", "DETECTORS", "FORMATS", "Parser", "detect_format", "parse", "read_text"]

FORMATS: Mapping[str, Parser] = {
    strong.FORMAT: strong.parse,
    strong.FORMAT_SEMICOLON: strong.parse_semicolon,
    strong.FORMAT_2019: strong.parse_2019,
    hevy.FORMAT: hevy.parse,
    fitnotes.FORMAT: fitnotes.parse,
    liftosaur.FORMAT: liftosaur.parse,
    fitbod.FORMAT: fitbod.parse,
    stronglifts.FORMAT: stronglifts.parse,
    alpha_progression.FORMAT: alpha_progression.parse,
    jefit.FORMAT: jefit.parse,
    failwise_format.FORMAT_CSV: failwise_format.parse_csv,
    failwise_format.FORMAT_JSON: failwise_format.parse_json,
}
"""Every format failwise reads, by name, with its parser."""

DESCRIPTIONS: Mapping[str, str] = {
    strong.FORMAT: "Strong, comma-separated (2020–2024)",
    strong.FORMAT_SEMICOLON: "Strong, semicolon-separated with Weight (kg) (newest)",
    strong.FORMAT_2019: "Strong, semicolon-separated with a Weight Unit column (2019)",
    hevy.FORMAT: "Hevy",
    fitnotes.FORMAT: "FitNotes",
    liftosaur.FORMAT: "Liftosaur history CSV",
    fitbod.FORMAT: "Fitbod",
    stronglifts.FORMAT: "StrongLifts 5×5 (kg or lb)",
    alpha_progression.FORMAT: "Alpha Progression (kg or lb, RIR on every set)",
    jefit.FORMAT: "JEFIT (a file of sections; kg or lb)",
    failwise_format.FORMAT_CSV: "failwise's own CSV export",
    failwise_format.FORMAT_JSON: "failwise's own JSON export",
}
"""What a lifter calls each format."""

DETECTORS: tuple[Callable[[str], str | None], ...] = (
    failwise_format.detect,
    liftosaur.detect,
    hevy.detect,
    strong.detect,
    fitnotes.detect,
    fitbod.detect,
    stronglifts.detect,
    alpha_progression.detect,
    jefit.detect,
)
"""Each importer's own test of a header line, asked in turn: the first to know it names it."""


def _supported() -> str:
    return "; ".join(f"{name} ({DESCRIPTIONS[name]})" for name in FORMATS)


def detect_format(header_line: str) -> str:
    """The name of the format whose header ``header_line`` is (only its first line counts).

    Raises :class:`InvalidInput`, listing the supported formats, for any
    other header.

    >>> detect_format('"title","start_time","end_time","description","exercise_title"')
    'hevy'
    >>> detect_format("Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time")
    'fitnotes'
    >>> detect_format("id,name,value")
    Traceback (most recent call last):
    ...
    failwise.domain.errors.InvalidInput: the first line is not the header of an export ...
    """
    line = first_line(header_line)
    for detect in DETECTORS:
        name = detect(line)
        if name is not None:
            return name
    shown = line if len(line) <= 80 else line[:77] + "..."
    raise InvalidInput(
        f"the first line is not the header of an export from Strong, Hevy, FitNotes, "
        f"Liftosaur, Fitbod, StrongLifts, Alpha Progression or JEFIT ({shown!r}); "
        f"supported formats: {_supported()}"
    )


def parse(text: str, *, format: str | None = None, unit: str | None = None) -> ParsedFile:
    """Read an export: ``format`` is detected from the header when not given.

    ``unit`` (``kg`` or ``lb``; kg when not given) is the lifter's display
    unit, used for weights the file gives without a unit (Strong's comma
    format). Raises :class:`InvalidInput` for an unknown format or unit, or
    a header that is not one of the formats; every other trouble is a
    problem in the result, and parsing goes on.
    """
    text = strip_bom(text)
    name = detect_format(text) if format is None else format.strip().casefold()
    parser = FORMATS.get(name)
    if parser is None:
        raise InvalidInput(f"unknown format {format!r}; supported formats: {_supported()}")
    with collector_paused():  # a large file is a million objects (services.imports.collector)
        return parser(text, unit=unit)


def read_text(data: bytes) -> str:
    """Decode an export file: UTF-8 (a byte order mark is dropped), else cp1252, else latin-1.

    Old Windows exports are cp1252; latin-1 decodes any byte, so this never
    fails. A UTF-16 file (with its byte order mark) is read too. Line endings
    are left to the parsers: other apps' become LF there, while failwise's own
    CSV keeps a CR inside a note.

    >>> read_text("Squat;Curl\\r\\nCafé".encode("cp1252"))
    'Squat;Curl\\r\\nCafé'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        for encoding in ("utf-8", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            text = data.decode("latin-1")
    return strip_bom(text)
