"""How the command ends: every error a user can cause is one line on stderr.

Typer ships its own copy of click (``typer._click``) whose exceptions are not
``click``'s, so both are caught; a usage error (unknown command or option,
missing argument, bad value) exits 2 with its message and where to look for
help, a ``UserError`` with its own code, Ctrl-C with 130.
"""

from __future__ import annotations

import sys

from gpai_kg.errors import UserError


def _exception_modules() -> list:
    import click.exceptions
    import typer.exceptions

    modules = [click.exceptions, typer.exceptions]
    try:
        from typer._click import exceptions as vendored  # the click Typer ≥ 0.17 vendors
    except ImportError:  # pragma: no cover - an older Typer uses click itself
        return modules
    return [vendored, *modules]


def _classes(modules: list, name: str) -> tuple:
    return tuple(getattr(m, name) for m in modules if hasattr(m, name))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _usage_line(exc) -> str:
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "gpai-kg"
    message = _one_line(exc.format_message()).replace("Value error, ", "")
    return f"{where}: error: {message} (see '{where} --help')"


def run(app) -> None:
    """Run ``app`` (a Typer app) as the ``gpai-kg`` command."""
    modules = _exception_modules()
    usage, click_error = _classes(modules, "UsageError"), _classes(modules, "ClickException")
    abort, no_args, leave = _classes(modules, "Abort"), _classes(modules, "NoArgsIsHelpError"), _classes(modules, "Exit")
    try:
        code = app(prog_name="gpai-kg", standalone_mode=False)  # a typer.Exit's code is returned, not raised
    except UserError as exc:
        sys.stderr.write(f"gpai-kg: error: {exc}\n")
        raise SystemExit(exc.exit_code) from None
    except no_args as exc:  # ``gpai-kg`` alone: the help, as asked
        sys.stdout.write(exc.format_message() + "\n")
        raise SystemExit(0) from None
    except usage as exc:
        sys.stderr.write(_usage_line(exc) + "\n")
        raise SystemExit(2) from None
    except click_error as exc:  # a file click could not open, and the like
        sys.stderr.write(f"gpai-kg: error: {_one_line(exc.format_message())}\n")
        raise SystemExit(exc.exit_code if exc.exit_code else 1) from None
    except abort:
        sys.stderr.write("gpai-kg: aborted\n")
        raise SystemExit(130) from None
    except KeyboardInterrupt:
        sys.stderr.write("gpai-kg: interrupted\n")
        raise SystemExit(130) from None
    except leave as exc:  # Typer's and click's Exit are not SystemExit
        raise SystemExit(exc.exit_code) from None
    if isinstance(code, int) and code:
        raise SystemExit(code)
