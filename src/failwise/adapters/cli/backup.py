"""Backing up and restoring the database from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from failwise.adapters.cli import app, output, wiring
from failwise.adapters.cli.output import shown


@app.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(help="Where to write the backup.")],
) -> None:
    """Back up the whole database (SQLite online backup, or pg_dump for PostgreSQL).

    Example: failwise backup failwise-2026-03-02.backup
    """
    wiring.backup(file)
    output.console.print(f"Backed up to {shown(file)}.")


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="A backup written by `failwise backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace the database without asking.")
    ] = False,
) -> None:
    """Replace the database with a backup. Stop the server first.

    Example: failwise restore failwise-2026-03-02.backup --yes
    """
    if not yes and not typer.confirm("This replaces every set in the database. Go on?"):
        raise typer.Exit(1)
    wiring.restore(file)
    output.console.print(f"Restored from {shown(file)}.")
