"""Shared by the web app's tests: a store ingested from the repository's fixtures, and an HTML tag parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "tests" / "fixtures" / "story" / "reports"
EXAMPLE = ROOT / "src" / "sayso" / "data" / "example.txt"
HARBOUR = ROOT / "tests" / "fixtures" / "articles" / "harbour-sale.txt"


def fixture_files() -> list[Path]:
    """The articles the web tests ingest: the Ostrevia story's 13 reports, the example and the harbour article."""
    return sorted(STORY.glob("*.md")) + [EXAMPLE, HARBOUR]


def ingest_fixtures(db: Path) -> None:
    """Ingest :func:`fixture_files` into ``db`` with `sayso ingest` (the default pipeline)."""
    import pytest

    from sayso.cli import main

    with pytest.raises(SystemExit) as done:
        main(["ingest", *map(str, fixture_files()), "--db", str(db)])
    assert done.value.code in (0, None)


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside ``<script>`` elements."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_text.append(data)

    def links(self) -> list[str]:
        """The href of every ``<a>``."""
        return [a["href"] for t, a in self.tags if t == "a" and a.get("href")]


# --- a real server and a real browser -------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """The ASGI ``app`` served by uvicorn on loopback in a background thread while the ``with`` block runs;
    ``url`` is its base URL."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self._thread = None

    def __enter__(self) -> Server:
        import threading
        import time

        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self._server.should_exit = True
        self._thread.join(10)


def chromium_paths() -> tuple[str | None, str | None]:
    """Paths of a Chromium (or Chrome) browser and of chromedriver, or None for what is missing."""
    import shutil

    browser = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome", "chrome")) if p), None
    )
    return browser, shutil.which("chromedriver")


def chromium_driver(width: int = 1280, height: int = 900):
    """A headless Chromium driven by Selenium, with the browser console's messages kept (``get_log('browser')``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


def screenshot(driver, path: Path, width: int = 1280, max_height: int = 2400) -> None:
    """Save a PNG of the whole page (up to ``max_height`` pixels tall) at ``path``."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max_height, max(600, int(height))))
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    driver.set_window_size(width, 900)
