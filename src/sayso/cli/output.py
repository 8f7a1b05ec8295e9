"""Writing a command's output, to stdout or to ``-o FILE``, with one-line errors.

Every command that prints a result goes through these helpers, so that:

* an ``-o`` path that is a folder, lies in a missing folder, cannot be written, or a full disk (``-o
  /dev/full``) gives :class:`~sayso.errors.UnwritableOutput`: one line, exit status 2;
* stdout on a full disk (``sayso read x > /dev/full``) gives the same;
* stdout closed by its reader (``sayso read x | head -c 10``) stops the command quietly, with no traceback
  and nothing on stderr, and exit status 141 (128 + SIGPIPE), as for any Unix tool whose reader went away.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from ..errors import UnwritableOutput

#: Exit status when stdout's reader has gone away (128 + SIGPIPE).
CLOSED_PIPE_STATUS = 141


def check_output(path: Path | None) -> None:
    """Refuse an ``-o`` path that certainly cannot be written, before any slow work: a folder, or a file in
    a folder that does not exist or cannot be written to. None (stdout) passes. Raises UnwritableOutput."""
    if path is None:
        return
    if path.is_dir():
        raise UnwritableOutput(f"cannot write {path}: it is a folder; give a file name, e.g. -o {path / 'out.txt'}")
    folder = Path(os.path.abspath(path.expanduser())).parent
    if not folder.is_dir():
        raise UnwritableOutput(f"cannot write {path}: no such folder {folder}; create it or choose another -o path")
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK):
        raise UnwritableOutput(f"cannot write {path}: permission denied; choose another -o path")


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8. Raises UnwritableOutput naming the path and the reason when it
    cannot be written (a folder, a missing folder, no permission, a full disk)."""
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise UnwritableOutput(f"cannot write {path}: {reason}; choose another -o path") from None


def write_stdout(text: str) -> None:
    """Write ``text`` to stdout and flush it. A closed pipe exits quietly (status 141); any other write
    error (a full disk) raises UnwritableOutput."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        closed_pipe()
    except OSError as err:
        discard_stdout()
        reason = err.strerror or type(err).__name__
        raise UnwritableOutput(
            f"cannot write to standard output: {reason}; free some space or send the output elsewhere"
        ) from None


def emit(text: str, output: Path | None) -> None:
    """``text`` to ``output`` (:func:`write_output`), or to stdout (:func:`write_stdout`) when None."""
    if output is None:
        write_stdout(text)
    else:
        write_output(output, text)


def render_text(renderable, *, width: int | None = None, terminal: bool = False) -> str:
    """``renderable`` (anything Rich prints) as a string: plain text ``width`` columns wide, or with the
    colours and width of the terminal on stdout when ``terminal`` is set."""
    from rich.console import Console

    buf = io.StringIO()
    if terminal:
        probe = Console()
        console = Console(file=buf, force_terminal=True, color_system=probe.color_system, width=width or probe.width)
    else:
        console = Console(file=buf, width=width, no_color=True, color_system=None, force_terminal=False)
    console.print(renderable)
    return buf.getvalue()


def print_stdout(renderable, *, piped_width: int | None = None) -> None:
    """Print ``renderable`` to stdout through :func:`write_stdout`: in colour at the terminal's width when
    stdout is a terminal, else as plain text ``piped_width`` columns wide (Rich's default when None)."""
    from rich.console import Console

    terminal = Console().is_terminal
    write_stdout(render_text(renderable, width=None if terminal else piped_width, terminal=terminal))


def closed_pipe() -> None:
    """Stop quietly because stdout's reader has gone away: later writes (and the flush at exit) go to
    /dev/null, and the command exits with :data:`CLOSED_PIPE_STATUS`."""
    discard_stdout()
    raise SystemExit(CLOSED_PIPE_STATUS)


def discard_stdout() -> None:
    """Point stdout's file descriptor at /dev/null, so the interpreter's final flush of what is still
    buffered cannot fail again and print a traceback."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by a test harness: nothing to redirect
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
