"""sayso serve in a real headless Chromium (Selenium with chromedriver): open every page, go article → source →
story, run a search, and see no console error; the XSS payload reports open without any script running.

Skipped, with the reason, where Selenium, Chromium or chromedriver is missing (Debian: ``apt-get install chromium
chromium-driver``; ``.ci/run`` installs them when it can). ``scripts/screenshots.py`` takes the README's
screenshots the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_helpers import Server, chromium_driver, chromium_paths

from sayso.schema import Report
from sayso.store import Store
from sayso.stories import StoryLinker
from sayso.web.app import create_app

pytest.importorskip("selenium", reason="selenium is not installed (pip install -e .[dev])")
_BROWSER, _DRIVER = chromium_paths()
pytestmark = pytest.mark.skipif(
    _BROWSER is None or _DRIVER is None,
    reason="headless Chromium not available: install Debian's chromium and chromium-driver "
    f"(found browser={_BROWSER}, chromedriver={_DRIVER})",
)
INJECTION = Path(__file__).resolve().parent / "fixtures" / "reports" / "injection.json"


@pytest.fixture(scope="module")
def served(web_db, tmp_path_factory):
    """The fixture store plus the injection report, served on loopback; and a browser."""
    db = tmp_path_factory.mktemp("browser") / "browser.db"
    with Store(web_db) as store:
        store.connection.execute("VACUUM INTO ?", (str(db),))
    with Store(db) as store:
        report = Report.model_validate_json(INJECTION.read_text(encoding="utf-8"))
        StoryLinker(store).link(store.save(report), report)
    from selenium.common.exceptions import WebDriverException

    try:
        driver = chromium_driver()
    except WebDriverException as err:  # e.g. a chromedriver that does not match the browser
        pytest.skip(f"headless Chromium did not start: {' '.join(str(err).split())[:200]}")
    try:
        with Server(create_app(db)) as server:
            yield server, driver, db
    finally:
        driver.quit()


def _errors(driver) -> list[dict]:
    """Console messages of level SEVERE (errors, failed loads, CSP violations) since the last call."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def _no_alert(driver) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018  (raises when no dialog is open)


def test_article_source_story_search(served):
    from selenium.webdriver.common.by import By

    server, driver, db = served
    driver.get(server.url + "/")
    assert "sayso" in driver.title
    driver.find_element(By.PARTIAL_LINK_TEXT, "Ostrevia Plans to Buy 120 Tanks").click()
    assert driver.current_url.startswith(server.url + "/articles/")
    assert driver.find_elements(By.CSS_SELECTOR, "article.article .l-content")  # highlighted claims
    assert driver.find_elements(By.CSS_SELECTOR, "ul.chain.root li.node")  # reporting chains
    # hovering a claim highlights its pieces (the progressive script runs)
    piece = driver.find_element(By.CSS_SELECTOR, "article.article [data-att]")
    from selenium.webdriver import ActionChains

    ActionChains(driver).move_to_element(piece).perform()
    assert driver.find_elements(By.CSS_SELECTOR, ".hl")
    assert _errors(driver) == []

    driver.find_element(By.CSS_SELECTOR, "ul.sources a[href^='/sources/']").click()
    assert driver.current_url.startswith(server.url + "/sources/")
    assert "claim" in driver.find_element(By.TAG_NAME, "h2").text or driver.find_elements(
        By.CSS_SELECTOR, "table.claims"
    )
    driver.find_element(By.PARTIAL_LINK_TEXT, "Its story").click()
    assert driver.current_url.startswith(server.url + "/stories/")
    assert driver.find_elements(By.CSS_SELECTOR, "svg.prov") and driver.find_elements(By.CSS_SELECTOR, "svg.timeline")
    assert "Independent origins" in driver.find_element(By.TAG_NAME, "main").text
    assert _errors(driver) == []

    box = driver.find_element(By.ID, "nav-q")
    box.clear()
    box.send_keys('"two billion crowns"')
    box.submit()
    assert "/search?" in driver.current_url
    marks = driver.find_elements(By.CSS_SELECTOR, "ol.hits mark")
    assert marks and all(m.text.lower() in ("two", "billion", "crowns", "two billion crowns") for m in marks)
    assert _errors(driver) == []


def test_console_errors_are_seen(served):
    """The check above is not blind: a missing page is a console error."""
    server, driver, _ = served
    driver.get(server.url + "/no-such-page")
    assert any("404" in e["message"] for e in _errors(driver))


def test_every_page_opens_without_console_errors(served):
    server, driver, db = served
    with Store(db) as store:
        q = store.connection.execute
        paths = ["/", "/articles", "/search?q=tanks&anonymous=1"]
        paths += [f"/articles/{r[0]}" for r in q("SELECT id FROM articles")]
        paths += [f"/stories/{r[0]}" for r in q("SELECT DISTINCT story_id FROM story_articles")]
        paths += [f"/sources/{r[0]}" for r in q("SELECT MIN(id) FROM sources GROUP BY article_id")]
    for path in paths:
        driver.get(server.url + path)
        _no_alert(driver)
        assert _errors(driver) == [], path
        assert driver.execute_script("return document.scripts.length") == 1  # only /static/app.js


def test_payloads_do_not_run_in_the_browser(served):
    server, driver, db = served
    with Store(db) as store:
        article = store.connection.execute("SELECT id FROM articles WHERE input = 'injection.txt'").fetchone()[0]
        sources = [r[0] for r in store.connection.execute("SELECT id FROM sources WHERE article_id = ?", (article,))]
    for path in [f"/articles/{article}", "/search?q=alert", *(f"/sources/{s}" for s in sources)]:
        driver.get(server.url + path)
        _no_alert(driver)
        assert driver.execute_script("return document.querySelectorAll('img, iframe').length") == 0
        assert _errors(driver) == [], path
    from selenium.webdriver.common.by import By

    driver.get(server.url + f"/articles/{article}")
    assert "<script>alert(1)</script>" in driver.find_element(By.TAG_NAME, "body").text  # shown, as text
