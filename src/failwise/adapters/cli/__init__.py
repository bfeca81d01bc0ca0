"""The ``failwise`` command line: readable tables for people, ``--json`` for programs.

Commands register themselves on :data:`app` when their modules (every module
of this package) are imported. The commands that need no stored data
(``prescribe``, ``e1rm``, ``load``, ``plates``, ``scale``:
:mod:`~failwise.adapters.cli.coach`) are there from the start; the other
modules are imported the first time a command the app does not know yet is
asked for, or the list of commands (``--help``). A command that needs no
stored data thus starts without importing the database, the web app or the
services on them; asked for ``--json``, it starts without Rich's console too
(:mod:`~failwise.adapters.cli.output`), and it reads the exercise catalog from
the user's cache directory (:mod:`failwise.services.catalog`).

Run as a program (:func:`main`, or ``app(...)``), the command line builds the one
command asked for, not all of them: Typer makes each command's options from its
function's signature and type hints, and building the nine that are there from the
start took longer than the decision ``failwise prescribe`` prints.
"""

from __future__ import annotations

import importlib
from typing import Any, cast

import typer
import typer.main
from typer.core import TyperGroup

from failwise.adapters.cli.output import error_line
from failwise.domain.errors import FailwiseError


class _FailwiseGroup(TyperGroup):
    """Turns failwise's own errors into a one-line message on stderr and exit code 1, and
    imports the modules of the commands it does not know yet when one is asked for."""

    _complete = False

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and not self._build_registered(cmd_name):
            self._import_every_command()
        return super().get_command(ctx, cmd_name)

    def _build_registered(self, name: str) -> bool:
        """Build the command ``name`` alone, if a module imported so far registered it."""
        for info in app.registered_commands:
            if info.callback is not None and _command_name(info) == name:
                self.commands[name] = typer.main.get_command_from_info(
                    info,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                )
                return True
        return False

    def list_commands(self, ctx: Any) -> list[str]:
        self._import_every_command()
        return super().list_commands(ctx)

    def _import_every_command(self) -> None:
        if self._complete:
            return
        import pkgutil

        # Every module of this package, in name order: --help lists commands as registered.
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        # The same group built again, now from every registered command, in their order.
        everything = cast(TyperGroup, typer.main.get_command(app))
        self.commands.clear()
        self.commands.update(everything.commands)
        self._complete = True

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except FailwiseError as error:
            typer.echo(error_line(error), err=True)
            raise typer.Exit(1) from error


def _command_name(info: Any) -> str:
    """The name a registered command is run by (as Typer names it)."""
    return str(info.name or typer.main.get_command_name(info.callback.__name__))


class _FailwiseTyper(typer.Typer):
    """Run as a program, starts from a group with no command built yet
    (:meth:`_FailwiseGroup.get_command` builds the one asked for)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        group = _FailwiseGroup(
            name=self.info.name,
            help=self.info.help,
            no_args_is_help=self.info.no_args_is_help,
            rich_markup_mode=self.rich_markup_mode,
        )
        return group(*args, **kwargs)


app = _FailwiseTyper(
    cls=_FailwiseGroup,
    name="failwise",
    help="A strength-training coach that decides, set by set, when to go to failure.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# The commands there from the start (backup's first, as --help lists it; it imports the
# database only when run).
from failwise.adapters.cli import backup, coach  # noqa: E402, F401


def main() -> None:
    """Entry point of the ``failwise`` console script."""
    app()
