"""The ``detente`` command line: parse arguments, call one library function, print.

Each command group lives in its own module with a ``register(app)`` function; modules
import heavy libraries (spaCy, DuckDB, FastAPI, Dask) inside the command bodies so that
``detente --help`` is instant and works without the optional extras.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from typing import Any

import click
import typer

from .._version import __version__
from ..errors import DetenteError
from ..store.db import store_failure
from . import _common, commands
from ._safe_text import plain

__all__ = ["app", "main"]

app = typer.Typer(
    name="detente",
    help="Read the news and tell, with evidence, who is escalating against whom.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"detente {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback when something fails."),
) -> None:
    """detente: political events from news text, coded in PLOVER/CAMEO, with evidence."""


def _register_commands() -> None:
    for module in commands.MODULES:
        module.register(app)
    for command in app.registered_commands:
        _name_arguments(command.callback)


def _name_arguments(callback: object) -> None:
    """Every positional argument is shown by an upper-case name, in the singular when it takes
    several (``{SOURCE}...``, ``{A} {B}``), however its Python parameter is called."""
    import inspect

    from typer.models import ArgumentInfo

    for name, param in inspect.signature(callback).parameters.items():  # type: ignore[arg-type]
        info = param.default
        if isinstance(info, ArgumentInfo) and info.metavar is None:
            several = "list" in str(param.annotation)
            info.metavar = name.upper()[:-1] if several and name.endswith("s") else name.upper()


def _flags_take_no_value() -> None:
    """A flag (``--json``) takes no value; typer's help would still show a type (``<bool>``) beside it."""
    from typer.core import TyperOption

    shown = TyperOption.display_type

    def display_type(self: TyperOption, ctx: Any) -> str:
        return "" if self.is_flag else shown(self, ctx)

    TyperOption.display_type = display_type  # type: ignore[method-assign,assignment]


_register_commands()
_flags_take_no_value()


class _WarningLines(logging.Handler):
    """The library's warnings (a file read with stray bytes replaced, ...) as ``warning: ...`` lines."""

    def emit(self, record: logging.LogRecord) -> None:
        _common.err.print(f"warning: {plain(record.getMessage())}", markup=False, highlight=False)


# Loggers whose warnings are about the user's input; the watcher has a log of its own.
_WARNING_LOGGERS = ("detente.extract",)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: runs the Typer app and turns errors into one line on stderr."""
    handler = _WarningLines(logging.WARNING)
    for name in _WARNING_LOGGERS:
        logging.getLogger(name).addHandler(handler)
    try:
        return _main(argv)
    finally:
        for name in _WARNING_LOGGERS:
            logging.getLogger(name).removeHandler(handler)


def _main(argv: list[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or bool(os.environ.get("DETENTE_DEBUG"))
    try:
        result = app(args=args, prog_name="detente", standalone_mode=False)
    except (typer.Exit, click.exceptions.Exit) as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except (typer.Abort, click.exceptions.Abort):
        print("error: aborted - run the command again when ready", file=sys.stderr)
        return 1
    except (click.ClickException, typer.TyperException) as exc:
        # Typer vendors its own click: its usage errors are TyperExceptions with show()/exit_code
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            print(f"error: {exc} - see --help", file=sys.stderr)
        return int(getattr(exc, "exit_code", 2) or 2)
    except DetenteError as exc:
        if debug:
            traceback.print_exc()
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head` and the like
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("error: interrupted - nothing half-written is kept; run again to finish", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line unless debugging
        failure = _store_failure(exc)
        if failure is not None:  # not a bug: the store's file or disk failed (a damaged block)
            if debug:
                traceback.print_exc()
            print(f"error: {failure.one_line()}", file=sys.stderr)
            return failure.exit_code
        if debug:
            traceback.print_exc()
        else:
            print(f"error: unexpected {type(exc).__name__}: {exc} - run again with --debug and report it",
                  file=sys.stderr)
        return 1
    return int(result) if isinstance(result, int) else 0


def _store_failure(exc: Exception) -> DetenteError | None:
    if "duckdb" not in sys.modules:  # the error cannot have come from the store
        return None
    return store_failure(exc)


def run() -> None:  # pragma: no cover - thin wrapper for the console script
    sys.exit(main())
