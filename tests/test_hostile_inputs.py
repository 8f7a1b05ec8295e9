"""Hostile inputs (issue 9, hardening): odd charsets, slow servers, unwritable outputs, closed pipes, markup and
terminal escape codes in article strings, FIFOs and devices, symbolic-link loops, noisy extraction libraries
and cloud metadata addresses.

The commands run in-process (``sayso.cli.main``) or, where the real stdout matters (a full disk, a closed
pipe, what really reaches stderr), in a subprocess; either way the analysis is replaced by the hand-built
example report, so these tests check the command line, not the extractor. No network: servers run on
127.0.0.1 in a thread, other URLs go through ``httpx.MockTransport``.
"""

from __future__ import annotations

import http.server
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import httpx
import pytest
from markdown_it import MarkdownIt

from sayso.cli import main
from sayso.errors import BadInput, InputNotFound, NetworkError
from sayso.fetch import DEFAULT_TIMEOUT_S, _check_peer, check_url, fetch, never_fetched
from sayso.loading import decode, load, path_problem
from sayso.render import safe_text
from sayso.render.markdown import render_markdown
from sayso.render.tree import render_tree_text
from sayso.schema import Report
from sayso.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_TXT = ROOT / "src" / "sayso" / "data" / "example.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "reports" / "example.json"
PAGE = (ROOT / "tests" / "fixtures" / "input" / "article.html").read_bytes()
PUBLIC_IP = "93.184.215.14"

#: Everything an article string should not be able to do to a terminal, to Rich, or to Markdown.
HOSTILE = (
    "Evil [/] [bold]bold[/bold] [link=https://evil.example]click[/link] \x1b]0;pwned\x07 \x1b[2J "
    "\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\ \x9b31m <script>alert(1)</script> "
    "<img src=x onerror=alert(2)> [x](javascript:alert(3)) <javascript:alert(4)> &amp; \x00\x08\x7f\x85"
)
#: Characters that must never reach a terminal from an article: ESC, BEL, CSI (C1), NUL, backspace, DEL, NEL.
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x00", "\x08", "\x7f", "\x85")
ARTICLE_WORDS = (
    "The harbour master said on Tuesday that the northern pier would close for repairs next month, and that "
    "ferries to the island would use the southern quay until the work was finished in the spring. "
)


# --- helpers ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def perfect() -> Report:
    return Report.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile(perfect) -> Report:
    """The example report with :data:`HOSTILE` in its title, outlet, authors, a source's name and a content."""
    atts = list(perfect.attributions)
    atts[0] = atts[0].model_copy(update={"content": atts[0].content.model_copy(update={"text": "said " + HOSTILE})})
    sources = list(perfect.sources)
    sources[-1] = sources[-1].model_copy(update={"name": "Source " + HOSTILE})
    article = perfect.article.model_copy(
        update={"title": HOSTILE, "authors": [HOSTILE], "notes": [HOSTILE], "url": "https://x.example/" + HOSTILE}
    )
    return perfect.model_copy(update={"article": article, "attributions": atts, "sources": sources})


@pytest.fixture
def fake_analysis(monkeypatch, perfect):
    """The pipeline replaced by the hand-built report (its article swapped for the loaded one); stub modules
    stand in for sayso.analysis and sayso.pipeline, so spaCy is not imported. Returns the articles seen."""
    seen = []

    def analyse(article, nlp=None, **options):
        seen.append(article)
        return perfect.model_copy(update={"article": article})

    analysis = types.ModuleType("sayso.analysis")
    analysis.analyse_article = analyse
    pipeline = types.ModuleType("sayso.pipeline")
    pipeline.load_pipeline = lambda *a, **k: None
    pipeline.ModelNotFound = type("ModelNotFound", (Exception,), {})
    monkeypatch.setitem(sys.modules, "sayso.analysis", analysis)
    monkeypatch.setitem(sys.modules, "sayso.pipeline", pipeline)
    return seen


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """``sayso ARGV`` in-process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    code = exc.value.code
    return (0 if code is None else code), out, err


def one_error_line(err: str) -> str:
    """The single line on stderr, checked to be a clean ``sayso: error:`` line."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("sayso: error: "), err
    assert not any(c in err for c in RAW_CONTROLS), repr(err)
    assert "Traceback" not in err
    return lines[0]


#: Runs ``sayso`` with the analysis replaced by the report in the file named by the first argument (stub
#: modules stand in for the pipeline, so that spaCy is not even imported: the process starts fast).
_BOOT = """
import sys, types
from pathlib import Path
from sayso.schema import Report
report = Report.model_validate_json(Path(sys.argv.pop(1)).read_text(encoding="utf-8"))
analysis = types.ModuleType("sayso.analysis")
analysis.analyse_article = lambda article, nlp=None, **options: report.model_copy(update={"article": article})
pipeline = types.ModuleType("sayso.pipeline")
pipeline.load_pipeline = lambda *a, **k: None
pipeline.ModelNotFound = type("ModelNotFound", (Exception,), {})
sys.modules.update({"sayso.analysis": analysis, "sayso.pipeline": pipeline})
from sayso.cli import main
main()
"""


def sayso_process(*argv: str, report: Path = FIXTURE, stdout=subprocess.PIPE, env=None) -> subprocess.CompletedProcess:
    """``sayso ARGV`` in a subprocess, with the fake analysis; stderr (and stdout when piped) captured."""
    return subprocess.run(
        [sys.executable, "-c", _BOOT, str(report), *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        env=env,
    )


def html_page(charset: str) -> str:
    paragraphs = "".join(f"<p>{ARTICLE_WORDS}</p>" for _ in range(3))
    return (
        f'<html><head><meta charset="{charset}"><title>Pier to close</title></head>'
        f"<body><article><h1>Pier to close</h1>{paragraphs}</article></body></html>"
    )


# --- local servers ------------------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path in ("/slow", "/trickle"):  # one byte every 2 s / every 0.25 s, for longer than any test
            pause = 2.0 if self.path == "/slow" else 0.25
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            try:
                for _ in range(int(40 / pause)):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(pause)
            except OSError:  # the client gave up
                pass
        elif self.path.startswith("/charset-"):
            body = html_page("utf-8").encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", f"text/html; charset={self.path.removeprefix('/charset-')}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
        elif self.path == "/to-metadata-name":
            self.send_response(302)
            self.send_header("Location", "http://metadata.google.internal/computeMetadata/v1/")
            self.end_headers()
        else:
            self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# --- charsets that are not text encodings -------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["hex", "base64", "rot13", "zlib", "bz2", "uu", "quopri", "no-such-charset"])
def test_meta_charset_that_is_no_text_encoding_falls_back(tmp_path, charset):
    page = tmp_path / "page.html"
    page.write_text(html_page(charset), encoding="utf-8")
    article = load(str(page))
    assert "northern pier" in article.text


@pytest.mark.parametrize("charset", ["hex", "base64", "rot_13", "idna", "x-unknown"])
def test_decode_ignores_a_declared_charset_that_cannot_decode(charset):
    assert decode("café said the minister".encode(), "x", declared=charset) == "café said the minister"


def test_http_charset_base64_falls_back(server):
    article = load(f"{server}/charset-base64", allow_private=True)
    assert "northern pier" in article.text


def test_read_command_with_meta_charset_hex(capsys, tmp_path, fake_analysis):
    page = tmp_path / "page.html"
    page.write_text(html_page("hex"), encoding="utf-8")
    code, out, err = run(capsys, "read", str(page), "-f", "json")
    assert code == 0, err
    assert Report.model_validate_json(out).article.title == "Pier to close"


# --- an overall fetch deadline ------------------------------------------------------------------------------


def test_default_deadline_is_30_seconds():
    from sayso.cli.read import DEFAULT_TIMEOUT_S as cli_default

    assert DEFAULT_TIMEOUT_S == cli_default == 30.0
    assert load.__kwdefaults__["timeout"] == 30.0


@pytest.mark.parametrize("path", ["/slow", "/trickle"])
def test_read_gives_up_on_a_slow_server(capsys, server, fake_analysis, path):
    start = time.monotonic()
    code, out, err = run(capsys, "read", f"{server}{path}", "--allow-private", "--timeout", "1")
    elapsed = time.monotonic() - start
    assert code == 5 and out == ""
    line = one_error_line(err)
    assert "within 1 s" in line and "--timeout" in line
    assert elapsed < 6
    assert fake_analysis == []


def test_ingest_gives_up_on_a_slow_server(capsys, server, fake_analysis, tmp_path):
    start = time.monotonic()
    code, _, err = run(
        capsys, "ingest", f"{server}/trickle", "--allow-private", "--timeout", "1", "--db", str(tmp_path / "s.db")
    )
    assert code == 5  # the only input failed: its own status (network)
    assert time.monotonic() - start < 6
    failed = [line for line in err.splitlines() if line.startswith("sayso: failed:")]
    assert len(failed) == 1 and "within 1 s" in failed[0]


def test_fetch_deadline_holds_while_bytes_keep_coming():
    def trickle():
        for _ in range(100):
            time.sleep(0.1)
            yield b"x"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=trickle())

    start = time.monotonic()
    with pytest.raises(NetworkError, match=r"no complete answer within 0\.5 s"):
        fetch(
            "https://slow.example/",
            transport=httpx.MockTransport(handler),
            resolver=lambda host, port: [PUBLIC_IP],
            deadline=0.5,
        )
    assert time.monotonic() - start < 3


@pytest.mark.parametrize("value", ["0", "-3", "nan", "inf"])
def test_timeout_must_be_positive(capsys, fake_analysis, value):
    code, out, err = run(capsys, "read", "https://example.org/a", "--timeout", value)
    assert code == 2 and out == "" and "--timeout" in err


# --- outputs that cannot be written, and closed pipes -------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "tree", "markdown"])
def test_read_output_is_a_folder(capsys, tmp_path, fake_analysis, fmt):
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT), "-f", fmt, "-o", str(tmp_path))
    assert code == 2 and out == ""
    assert "is a folder" in one_error_line(err)
    assert fake_analysis == []  # refused before the slow part


def test_read_output_in_a_missing_folder(capsys, tmp_path, fake_analysis):
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT), "-o", str(tmp_path / "missing" / "dir" / "x.html"))
    assert code == 2 and out == ""
    assert "no such folder" in one_error_line(err)
    assert fake_analysis == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_read_output_on_a_full_disk(capsys, fake_analysis):
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT), "-f", "json", "-o", "/dev/full")
    assert code == 2 and out == ""
    assert "No space left on device" in one_error_line(err)


def _unwritable_location() -> Path | None:
    """A folder where even root cannot create a file (sysfs), or None."""
    probe = Path("/sys/sayso-write-probe")
    try:
        probe.write_text("x")
    except OSError:
        return Path("/sys")
    probe.unlink()
    return None


@pytest.mark.skipif(_unwritable_location() is None, reason="no location that refuses writes to root")
def test_read_output_without_permission(capsys, fake_analysis):
    target = _unwritable_location() / "report.json"
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT), "-f", "json", "-o", str(target))
    assert code == 2 and out == ""
    assert one_error_line(err).startswith(f"sayso: error: cannot write {target}")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["tree", "json"])
def test_read_stdout_on_a_full_disk(fmt):
    with open("/dev/full", "w") as full:
        done = sayso_process("read", str(EXAMPLE_TXT), "-f", fmt, stdout=full)
    assert done.returncode == 2
    assert "cannot write to standard output: No space left on device" in one_error_line(done.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_any_command_on_a_full_disk_is_one_line():
    with open("/dev/full", "w") as full:  # --version prints with typer.echo, not the output helpers
        done = sayso_process("--version", stdout=full)
    assert done.returncode == 2
    assert "No space left on device" in one_error_line(done.stderr)


@pytest.mark.parametrize("fmt", ["tree", "json", "markdown"])
def test_read_into_a_closed_pipe_is_quiet(fmt):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone, as after `| head -c 10`
    try:
        done = sayso_process("read", str(EXAMPLE_TXT), "-f", fmt, stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode in (0, 141)
    assert done.stderr == ""


def test_read_into_head(tmp_path):
    script = f"{sys.executable} -c {_quote(_BOOT)} {FIXTURE} read {EXAMPLE_TXT} -f json | head -c 10"
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.startswith("{") and len(done.stdout) == 10
    assert done.stderr == ""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, hostile) -> Path:
    """A database holding the hostile report twice (an original and a copy: one story of two)."""
    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    other = hostile.article.model_copy(update={"url": "https://other.example/story", "outlet": "Other " + HOSTILE})
    with Store(db) as store:
        store.save_report(hostile)
        store.save_report(hostile.model_copy(update={"article": other}))
    return db


def test_claims_output_is_a_folder_or_in_a_missing_folder(capsys, tmp_path, hostile_db):
    code, out, err = run(capsys, "claims", "--db", str(hostile_db), "-o", str(tmp_path))
    assert code == 2 and out == "" and "is a folder" in one_error_line(err)
    code, out, err = run(capsys, "claims", "--db", str(hostile_db), "-o", str(tmp_path / "missing" / "x.html"))
    assert code == 2 and out == "" and "no such folder" in one_error_line(err)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_claims_on_a_full_disk(capsys, hostile_db):
    code, out, err = run(capsys, "claims", "--db", str(hostile_db), "--min-size", "1", "-f", "json", "-o", "/dev/full")
    assert code == 2 and out == ""
    assert "No space left on device" in one_error_line(err)
    with open("/dev/full", "w") as full:
        done = sayso_process("stories", "--db", str(hostile_db), stdout=full)
    assert done.returncode == 2
    assert "cannot write to standard output: No space left on device" in one_error_line(done.stderr)


def test_stories_into_a_closed_pipe_is_quiet(hostile_db):
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = sayso_process("stories", "--db", str(hostile_db), stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode in (0, 141)
    assert done.stderr == ""


# --- Markdown: no HTML, links or entities from an article ---------------------------------------------------


def _assert_inert_markdown(md: str) -> None:
    assert "<" not in md  # '<' from the article became '&lt;'
    assert not any(c in md for c in RAW_CONTROLS), repr(md)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    for bad in ("<script", "<img", "<a ", "javascript:alert(3)</a>", "href="):
        assert bad not in rendered, bad
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # shown, not run
    assert "[x](javascript:alert(3))" in rendered  # shown as text
    assert "&amp;amp;" in rendered  # '&amp;' in the article is shown as typed


def test_read_markdown_is_inert(hostile):
    _assert_inert_markdown(render_markdown(hostile))


def test_claims_markdown_is_inert(capsys, hostile_db):
    code, out, err = run(capsys, "claims", "--db", str(hostile_db), "--min-size", "1", "-f", "markdown")
    assert code == 0, err
    assert "Evil" in out
    _assert_inert_markdown(out)


# --- Rich markup and terminal escape codes ------------------------------------------------------------------


def test_safe_text():
    assert safe_text("a\x1b]0;pwned\x07b") == "ab"  # window title
    assert safe_text("x\x1b[2Jy\x1b[31mz") == "xyz"  # screen clear, colour
    assert safe_text("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\") == "click"  # OSC 8 link
    assert safe_text("a\x9b2Jb\x9d0;t\x9cc") == "abc"  # C1 CSI and OSC
    assert safe_text("a\x00b\x08c\x7fd\x85e") == "abcde"
    assert safe_text("one\r\ntwo\rthree\tfour") == "one\ntwo\nthree\tfour"
    assert safe_text("one\ntwo\tthree", newlines=False) == "one two three"
    assert safe_text("open \x1b] but never closed") == "open  but never closed"
    assert safe_text("“quoted” café [the intention to]") == "“quoted” café [the intention to]"


def _assert_clean_terminal_text(text: str) -> None:
    assert not any(c in text for c in RAW_CONTROLS), repr(text)


def test_read_tree_is_clean(hostile):
    out = render_tree_text(hostile)
    _assert_clean_terminal_text(out)
    assert "[/] [bold]bold[/bold] [link=https://evil.example]click[/link]" in out  # markup shown, not run


def test_read_tree_command_is_clean(capsys, monkeypatch, fake_analysis, hostile):
    monkeypatch.setattr(sys.modules["sayso.analysis"], "analyse_article", lambda article, nlp=None, **options: hostile)
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT))
    assert code == 0, err
    _assert_clean_terminal_text(out + err)
    assert "Evil [/] [bold]bold[/bold]" in out


def test_read_tree_in_colour_is_clean(tmp_path, hostile):
    report = tmp_path / "hostile.json"
    report.write_text(hostile.model_dump_json(), encoding="utf-8")
    env = {**os.environ, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    done = sayso_process("read", str(EXAMPLE_TXT), report=report, env=env)
    assert done.returncode == 0, done.stderr
    assert "\x1b[" in done.stdout  # Rich's own colours are there...
    for raw in ("\x1b]", "\x1b[2J", "\x07", "\x9b", "\x00", "\x85"):  # ...the article's codes are not
        assert raw not in done.stdout, raw
    assert "Evil [/] [bold]bold[/bold]" in done.stdout


def test_stories_table_shows_markup_literally(capsys, hostile_db):
    code, out, err = run(capsys, "stories", "--db", str(hostile_db))
    assert code == 0, err  # '[/]' in a title used to be a MarkupError (exit 1)
    _assert_clean_terminal_text(out + err)
    assert "[/]" in out and "[bold]bold[/bold]" in out


def test_claims_tree_is_clean(capsys, hostile_db):
    code, out, err = run(capsys, "claims", "--db", str(hostile_db), "--min-size", "1")
    assert code == 0, err
    _assert_clean_terminal_text(out + err)
    assert "Evil [/] [bold]bold[/bold]" in out


def test_missing_file_name_with_escape_codes(capsys, tmp_path, fake_analysis):
    name = str(tmp_path / "x\x1b]0;pwned\x07\x1b[2J.txt")
    code, out, err = run(capsys, "read", name)
    assert code == 3 and out == ""
    assert "no such file" in one_error_line(err)


def test_ingest_failure_lines_are_clean(capsys, tmp_path, fake_analysis):
    code, _, err = run(capsys, "ingest", str(tmp_path / "x\x1b[2J\x07.txt"), "--db", str(tmp_path / "s.db"))
    assert code == 3
    _assert_clean_terminal_text(err)
    assert any(line.startswith("sayso: failed:") and "no such file" in line for line in err.splitlines())


def test_internal_error_message_is_clean(capsys, monkeypatch, fake_analysis):
    def boom(article, nlp=None, **options):
        raise RuntimeError("bad \x1b]0;pwned\x07 thing\nsecond line")

    monkeypatch.setattr(sys.modules["sayso.analysis"], "analyse_article", boom)
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sayso: internal error: RuntimeError: bad")
    _assert_clean_terminal_text(err)


# --- FIFOs, devices, sockets and symbolic-link loops --------------------------------------------------------


def test_read_refuses_a_fifo_without_opening_it(tmp_path):
    fifo = tmp_path / "f.txt"
    os.mkfifo(fifo)
    done = sayso_process("read", str(fifo))  # would block forever if the FIFO were opened (timeout: 120 s)
    assert done.returncode == 4 and done.stdout == ""
    assert "named pipe (FIFO)" in one_error_line(done.stderr)


@pytest.mark.parametrize(("path", "kind"), [("/dev/zero", "character device"), ("/dev/null", "character device")])
def test_read_refuses_devices(capsys, fake_analysis, path, kind):
    if not os.path.exists(path):
        pytest.skip(f"no {path}")
    code, out, err = run(capsys, "read", path)
    assert code == 4 and out == ""
    assert kind in one_error_line(err)


def test_read_refuses_a_socket(capsys, tmp_path, fake_analysis):
    path = tmp_path / "s.txt"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(path))
        code, out, err = run(capsys, "read", str(path))
    finally:
        sock.close()
    assert code == 4 and "a socket" in one_error_line(err)


def test_path_problem_kinds(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "ok.txt").write_text("text", encoding="utf-8")
    os.mkfifo(tmp_path / "f.txt")
    loop = path_problem(tmp_path / "a.txt")
    assert isinstance(loop, BadInput) and "symbolic link loop" in loop.message
    assert isinstance(path_problem(tmp_path / "dangling.txt"), InputNotFound)
    assert isinstance(path_problem(tmp_path / "missing.txt"), InputNotFound)
    assert isinstance(path_problem(tmp_path / "f.txt"), BadInput)
    assert path_problem(tmp_path / "ok.txt") is None


def test_read_a_symlink_loop(capsys, tmp_path, fake_analysis):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    code, out, err = run(capsys, "read", str(tmp_path / "a.txt"))
    assert code == 4 and "symbolic link loop" in one_error_line(err)
    code, out, err = run(capsys, "read", str(tmp_path / "missing.txt"))
    assert code == 3 and "no such file" in one_error_line(err)


def test_ingest_skips_a_fifo_in_a_folder(capsys, tmp_path, fake_analysis):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(EXAMPLE_TXT.read_text(encoding="utf-8"), encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    db = tmp_path / "s.db"
    done: list[tuple[int, str, str]] = []
    worker = threading.Thread(
        target=lambda: done.append(run(capsys, "ingest", str(folder), "--db", str(db))), daemon=True
    )
    worker.start()
    worker.join(60)
    assert done, "ingest blocked on the FIFO"
    code, _, err = done[0]
    assert code == 4
    failed = [line for line in err.splitlines() if line.startswith("sayso: failed:")]
    assert len(failed) == 1 and "pipe.txt" in failed[0] and "named pipe (FIFO)" in failed[0]
    assert "stored 1, unchanged 0, failed 1" in err


def test_ingest_names_a_symlink_loop(capsys, tmp_path, fake_analysis):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    code, _, err = run(capsys, "ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "s.db"))
    assert code == 4
    failed = [line for line in err.splitlines() if line.startswith("sayso: failed:")]
    assert len(failed) == 1 and "symbolic link loop" in failed[0] and "no such file" not in failed[0]


# --- noisy extraction libraries -----------------------------------------------------------------------------


NESTED = {
    "300 divs": "<html><body>" + "<div>" * 300 + "Some text said the minister." + "</div>" * 300 + "</body></html>",
    "1000 divs": "<html><body>" + "<div>" * 1000 + f"<p>{ARTICLE_WORDS}</p>" + "</div>" * 1000 + "</body></html>",
    "unclosed": "<html><body>" + "<div>" * 500 + f"<p>{ARTICLE_WORDS}",
    "div p": "<html><body>" + "<div><p>" * 200 + ARTICLE_WORDS + "</p></div>" * 200 + "</body></html>",
}


@pytest.mark.parametrize("name", NESTED)
def test_nested_divs_log_nothing(tmp_path, caplog, name):
    page = tmp_path / "nested.html"
    page.write_text(NESTED[name], encoding="utf-8")
    with caplog.at_level(logging.DEBUG):
        try:
            load(str(page))
        except BadInput:
            pass
    noisy = [r for r in caplog.records if r.levelno >= logging.WARNING and not r.name.startswith("sayso")]
    assert noisy == []


def test_nested_divs_print_no_stray_warning(tmp_path):
    short = tmp_path / "short.html"
    short.write_text(NESTED["300 divs"], encoding="utf-8")
    done = sayso_process("read", str(short), "-f", "json")
    assert done.returncode == 4
    assert "no article text" in one_error_line(done.stderr)  # the only line: no 'discarding data: None'
    article = tmp_path / "article.html"
    article.write_text(NESTED["div p"], encoding="utf-8")
    done = sayso_process("read", str(article), "-f", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


# --- link-local and cloud metadata addresses ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.170.2/v2/credentials",
        "http://[fe80::1]/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://METADATA.google.internal./computeMetadata/v1/",
        "http://sneaky.example/",  # resolves to the metadata address
    ],
)
def test_metadata_addresses_are_refused_even_with_allow_private(url):
    def resolver(host: str, port: int) -> list[str]:
        return ["169.254.169.254"] if host == "sneaky.example" else [PUBLIC_IP]

    with pytest.raises(NetworkError, match="refused even with --allow-private"):
        check_url(url, allow_private=True, resolver=resolver)
    with pytest.raises(NetworkError, match="refusing to fetch"):
        check_url(url, allow_private=False, resolver=resolver)


def test_private_addresses_still_pass_with_allow_private():
    check_url("http://10.0.0.7/", allow_private=True)
    check_url("http://127.0.0.1:8080/", allow_private=True)
    check_url("http://[fd12::5]/", allow_private=True)
    assert never_fetched("10.0.0.7") is None and never_fetched(PUBLIC_IP) is None


def test_redirect_to_metadata_is_refused_with_allow_private():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "intranet.example":
            return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data/"})
        raise AssertionError(f"fetched {request.url}")  # the metadata service must never be asked

    with pytest.raises(NetworkError, match=r"refusing to fetch http://169\.254\.169\.254/.*link-local"):
        fetch(
            "http://intranet.example/",
            allow_private=True,
            transport=httpx.MockTransport(handler),
            resolver=lambda host, port: ["10.0.0.7"],
        )


def test_connected_metadata_address_is_refused_with_allow_private():
    class Stream:
        def get_extra_info(self, name: str):
            return ("169.254.169.254", 80) if name == "server_addr" else None

    response = httpx.Response(200, extensions={"network_stream": Stream()})
    with pytest.raises(NetworkError, match="link-local"):
        _check_peer(response, "http://rebound.example/", allow_private=True)


@pytest.mark.parametrize("path", ["/to-metadata", "/to-metadata-name"])
def test_read_refuses_a_redirect_to_metadata(capsys, server, fake_analysis, path):
    start = time.monotonic()
    code, out, err = run(capsys, "read", f"{server}{path}", "--allow-private")
    assert code == 5 and out == ""
    assert "refused even with --allow-private" in one_error_line(err)
    assert time.monotonic() - start < 10  # refused, not attempted
    assert fake_analysis == []


def test_read_refuses_metadata_url(capsys, fake_analysis):
    code, out, err = run(capsys, "read", "http://169.254.169.254/latest/meta-data/", "--allow-private")
    assert code == 5 and out == ""
    assert "link-local" in one_error_line(err)
