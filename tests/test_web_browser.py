"""End to end: `newstrace serve` in a subprocess on a free port, driven by Debian's chromium
through Playwright. A reader clicks from the briefing to a story, an article with its quotes
highlighted, a speaker, and runs a search; hostile article text fires no dialog."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(web_db: Path, chromium: str) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-c", "from newstrace.cli import main; main()", "serve"]
    process = subprocess.Popen(
        [*command, "--db", str(web_db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"newstrace serve exited {process.returncode}: {process.stderr.read()}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{base}/api/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("newstrace serve did not answer within 60 s")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records every dialog (alert, confirm, prompt) a script opens."""
    context = browser.new_context()
    opened = context.new_page()
    opened.dialogs = []

    def dismiss(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", dismiss)
    yield opened
    context.close()


def api(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.load(response)


def test_a_reader_clicks_through_briefing_story_article_speaker(server: str, page: Any) -> None:
    page.goto(server + "/")
    assert page.title().startswith("Briefing")
    fire = next(
        s for s in api(server, "/api/stories")["items"] if "a01_wire_fire.txt" in s["articles"]
    )
    page.click(f'a[href="/stories/{fire["story"]}"]')
    assert page.locator("h1").inner_text() == fire["title"]
    listed = page.locator("ol.articles a").evaluate_all("links => links.map(a => a.pathname)")
    assert listed == [f"/articles/{article}" for article in fire["articles"]]

    page.click('ol.articles a[href="/articles/a01_wire_fire.txt"]')
    quotes = api(server, "/api/articles/a01_wire_fire.txt")["quotes"]
    first = page.locator("mark#q0")
    assert first.is_visible() and first.inner_text() == quotes[0]["text"]
    assert page.locator("mark.quote").count() >= 3

    page.click('td a[href="/speakers?name=Helen%20Tolland"] >> nth=0')
    assert page.url.startswith(server + "/entities/e")
    assert "Helen Tolland" in page.locator("h1").inner_text()
    assert page.locator("ul.quotes li").count() >= 2
    assert page.dialogs == []


def test_search_from_the_header(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.fill('input[name="q"]', "aground fog")
    page.press('input[name="q"]', "Enter")
    page.wait_for_url("**/search?q=aground+fog")
    hits = page.locator("ol.hits li")
    assert hits.count() >= 1
    assert page.locator("ol.hits mark").first.inner_text().lower() in ("aground", "fog")
    hits.first.locator("a").click()
    assert page.url.startswith(server + "/articles/")


def test_hostile_text_fires_no_dialog(server: str, page: Any) -> None:
    for path in (
        "/",
        "/articles/quayside-0412",
        "/articles/brennick%2Flevy%20follow-up%3F%232",
        "/search?q=levy",
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/speakers?name=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    ):
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.locator("script, main img").count() == 0, path
    page.goto(server + "/articles/quayside-0412")
    assert page.locator("h1").inner_text().startswith("<script>alert('title')</script>")
    assert "<img src=x onerror=alert(2)>" in page.locator("div.text").inner_text()
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.dialogs == []
