"""The gpai-kg command: one Typer app with a subcommand per job (``app``)."""

from gpai_kg.cli.app import main

__all__ = ["main"]
