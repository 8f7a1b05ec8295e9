"""Take the README's screenshots of ``sayso serve`` in headless Chromium: an article page, a story page (the
invented Ostrevia tank story's ledger and provenance graphs), a story with a map (the example article's story) and
a search, from a store ingested from the repository's own fixtures (nothing copyrighted).

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

Needs Selenium (the dev extra), Chromium and chromedriver (Debian: apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT / "tests"))  # the browser helpers the tests use

from web_helpers import Server, chromium_driver, chromium_paths, ingest_fixtures, screenshot  # noqa: E402

from sayso.store import Store  # noqa: E402
from sayso.web.app import create_app  # noqa: E402


def main() -> int:
    browser, driver_path = chromium_paths()
    if browser is None or driver_path is None:
        print(
            "screenshots: needs chromium and chromedriver (apt-get install chromium chromium-driver)", file=sys.stderr
        )
        return 1
    with tempfile.TemporaryDirectory(prefix="sayso-shots-") as tmp:
        db = Path(tmp) / "fixtures.db"
        ingest_fixtures(db)
        with Store(db) as store:
            q = store.connection.execute
            example = q("SELECT id FROM articles WHERE input LIKE '%example.txt'").fetchone()[0]
            lantern = q("SELECT id FROM articles WHERE input LIKE '%01-brodsk-lantern%'").fetchone()[0]
            tanks = q("SELECT story_id FROM story_articles WHERE article_id = ?", (lantern,)).fetchone()[0]
            mapped = q("SELECT story_id FROM story_articles WHERE article_id = ?", (example,)).fetchone()[0]
        driver = chromium_driver()
        try:
            with Server(create_app(db)) as server:
                for name, path in (
                    ("article", f"/articles/{example}"),
                    ("story", f"/stories/{tanks}"),
                    ("story-map", f"/stories/{mapped}"),
                    ("search", "/search?q=%22two+billion+crowns%22"),
                ):
                    driver.get(server.url + path)
                    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
                    if errors:
                        print(f"screenshots: console errors on {path}: {errors}", file=sys.stderr)
                        return 1
                    screenshot(driver, OUT / f"{name}.png", max_height=1800)
                    print(f"wrote {OUT / f'{name}.png'}")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
