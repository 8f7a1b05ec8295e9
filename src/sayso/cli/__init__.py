"""The ``sayso`` command line. Each command lives in its own module and registers on :data:`app`.

Exit statuses are documented in :mod:`sayso.errors` and the README. ``--help`` is written for users: a
command's docstring (rendered as Markdown, so single line breaks are re-flowed) says what it does and gives
an example; notes for developers go in comments, not in the docstring."""

from __future__ import annotations

import errno
import logging
import os
import sys
from typing import Annotated

import typer

from ..errors import SaysoError

app = typer.Typer(
    name="sayso",
    help="Who claims what, on whose say-so: source-attributed claims from news reports.",
    epilog="Example: `sayso read article.html`. Run `sayso COMMAND --help` for a command's options.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
eval_app = typer.Typer(
    help="Score sayso against annotated data sets.",
    epilog="Example: `sayso eval chains`",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(eval_app, name="eval")


class ArticleInput(str):
    """What a command reads: a file path, an http(s) URL, or '-' for stdin. Annotate an argument with it (and
    ``parser=str``) so that ``--help`` shows that rather than ``<str>``."""


ArticleInput.__name__ = "file|URL|-"


class ArticleInputs(str):
    """Like :class:`ArticleInput`, folders included (``sayso ingest``)."""


ArticleInputs.__name__ = "file|folder|URL|-"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sayso")
    except PackageNotFoundError:  # running from a source tree that was never installed
        from .. import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"sayso {_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print sayso's version and exit."),
    ] = False,
) -> None:
    # No docstring: the app's help= above is what `sayso --help` shows.
    pass


def _register() -> None:
    from . import (  # noqa: F401
        bench,
        claims,
        eval,
        eval_geo,
        eval_meantime,
        eval_realnews,
        eval_realstories,
        eval_stance,
        eval_timeml,
        export,
        ingest,
        read,
        serve,
        spark,
        stories,
        train,
        train_stance,
        watch,
    )


class _SafeFormatter(logging.Formatter):
    """Log lines with terminal escape sequences and control characters removed (a file name or an article
    string in a warning cannot drive the terminal)."""

    def format(self, record: logging.LogRecord) -> str:
        from ..render import safe_text

        return safe_text(super().format(record))


def _safe_line(text: str) -> str:
    """``text`` as one line without terminal escape sequences or control characters."""
    from ..render import safe_text

    return safe_text(text, newlines=False)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: runs the app, turning sayso's errors into one stderr line."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SafeFormatter("sayso: %(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    _register()
    try:
        app(args=argv, standalone_mode=True)
    except SaysoError as err:
        print(f"sayso: error: {_safe_line(err.message)}", file=sys.stderr)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        print("sayso: interrupted", file=sys.stderr)
        sys.exit(130)
    except OSError as err:
        if err.errno not in _FULL_DISK or os.environ.get("SAYSO_DEBUG"):
            _internal_error(err)
        from .output import discard_stdout

        discard_stdout()  # what is still buffered for stdout cannot be written either
        print(f"sayso: error: cannot write: {err.strerror}; free some space or write elsewhere", file=sys.stderr)
        sys.exit(2)
    except Exception as err:  # a bug: one line for the user, the traceback when asked for
        _internal_error(err)


#: errno values meaning the disk (or quota) is full: the output cannot be written (exit status 2).
_FULL_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _internal_error(err: Exception) -> None:
    """Exit 1 with one line naming the bug (re-raise it under SAYSO_DEBUG, for the traceback)."""
    if os.environ.get("SAYSO_DEBUG"):
        raise err
    print(
        f"sayso: internal error: {type(err).__name__}: {_safe_line(str(err))} "
        "(please report it; set SAYSO_DEBUG=1 for the traceback)",
        file=sys.stderr,
    )
    sys.exit(1)
