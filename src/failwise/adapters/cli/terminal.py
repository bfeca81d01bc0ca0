"""The Rich console the commands print to for people: what it writes is made
terminal-safe (:mod:`~failwise.adapters.cli.output` says why, and makes the one
console on first use)."""

from __future__ import annotations

from rich.console import (
    Console,
    ConsoleOptions,
    ConsoleRenderable,
    RenderHook,
    RenderResult,
)
from rich.measure import Measurement
from rich.segment import Segment

from failwise.adapters.cli.output import CONTROLS


class _Cleaned:
    """A renderable whose text segments are made terminal-safe as they are written."""

    def __init__(self, renderable: ConsoleRenderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            # Rich's own controls (cursor moves of a progress bar) are control segments.
            if segment.control or not CONTROLS.search(segment.text):
                yield segment
            else:
                # Laid out already: only the characters of no width go, so the table
                # stays aligned and the rest of a sequence shows as the text it is.
                yield Segment(CONTROLS.sub("", segment.text), segment.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


class _NoTerminalControls(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Cleaned(renderable) for renderable in renderables]


def cleaned_console() -> Console:
    """A console that writes no control character but tab and line feed."""
    made = Console(highlight=False)
    made.push_render_hook(_NoTerminalControls())
    return made
