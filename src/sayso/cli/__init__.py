"""The ``sayso`` command line. Each command lives in its own module and registers on :data:`app`.

Exit statuses are documented in :mod:`sayso.errors` and the README."""

from __future__ import annotations

import logging
import os
import sys

import typer

from ..errors import SaysoError

app = typer.Typer(
    name="sayso",
    help="Who claims what, on whose say-so: source-attributed claims from news reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Score sayso against annotated data sets.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _register() -> None:
    from . import (  # noqa: F401
        bench,
        claims,
        eval,
        eval_geo,
        eval_meantime,
        eval_stance,
        eval_timeml,
        ingest,
        read,
        stories,
        train,
        train_stance,
    )


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: runs the app, turning sayso's errors into one stderr line."""
    logging.basicConfig(level=logging.WARNING, format="sayso: %(levelname)s: %(message)s", stream=sys.stderr)
    _register()
    try:
        app(args=argv, standalone_mode=True)
    except SaysoError as err:
        print(f"sayso: error: {err.message}", file=sys.stderr)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        print("sayso: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as err:  # a bug: one line for the user, the traceback when asked for
        if os.environ.get("SAYSO_DEBUG"):
            raise
        print(
            f"sayso: internal error: {type(err).__name__}: {err} "
            "(please report it; set SAYSO_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        sys.exit(1)
