"""The ``failwise`` command line: readable tables for people, ``--json`` for programs."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from failwise.adapters.cli.output import error_line
from failwise.domain.errors import FailwiseError


class _FailwiseGroup(TyperGroup):
    """Turns failwise's own errors into a one-line message on stderr and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except FailwiseError as error:
            typer.echo(error_line(error), err=True)
            raise typer.Exit(1) from error


app = typer.Typer(
    cls=_FailwiseGroup,
    name="failwise",
    help="A strength-training coach that decides, set by set, when to go to failure.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# Commands register themselves on `app` when their modules are imported.
from failwise.adapters.cli import (  # noqa: E402, F401
    backup,
    calibration,
    coach,
    exercises,
    history,
    models,
    plans,
    records,
    server,
    techniques,
    training,
)


def main() -> None:
    """Entry point of the ``failwise`` console script."""
    app()
