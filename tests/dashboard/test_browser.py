"""End to end: the dashboard on the demo, every page loaded in headless Chromium.

Each page must show its title and its Danish text, and no error box; the
screenshots are kept in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.demo import DemoPlatform, _wait
from tests.support import free_port

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "dashboard"
APP = Path(__file__).parents[2] / "services" / "dashboard" / "app.py"
PAGES = {  # url path: (title, a text the page must show)
    "": ("Samarbejdsforum", "Status på de fælles indikatorer"),
    "plan": ("Helhedsplan", "Revisioner og godkendelser"),
    "compare": ("Sammenlign", "Stiplet linje"),
    "audit": ("Revision", "Hændelsesloggen"),
    "annual": ("Årlig opfølgning", "Hent som Excel"),
}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def dashboard(demo_platform: DemoPlatform) -> Iterator[str]:
    port = free_port()
    env = {**demo_platform.env, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/_stcore/health", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        message = "Chromium and ChromeDriver are missing: `make test` installs them"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--window-size=1400,2400",
    ):
        options.add_argument(flag)
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield chrome
    finally:
        chrome.quit()


def _page_text(chrome: object, needle: str, seconds: float = 90) -> str:
    """The page's text once it shows ``needle`` and Streamlit has stopped running."""
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        text = chrome.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
        running = chrome.find_elements(
            By.CSS_SELECTOR, '[data-testid="stStatusWidget"]'
        )  # type: ignore[attr-defined]
        if needle in text and not running:
            return text
        time.sleep(0.5)
    return text


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_loads_in_chromium_with_its_danish_text_and_no_error_box(
    dashboard: str, browser: object, path: str
) -> None:
    from selenium.webdriver.common.by import By

    title, needle = PAGES[path]
    browser.get(f"{dashboard}/{path}")  # type: ignore[attr-defined]
    text = _page_text(browser, needle)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{path or 'forum'}.png"))  # type: ignore[attr-defined]
    assert title in text
    assert needle in text, text[:2000]
    assert "demodata" in text
    errors = browser.find_elements(By.CSS_SELECTOR, ERRORS)  # type: ignore[attr-defined]
    assert not errors, [e.text for e in errors]


def test_the_dashboard_answers_its_health_check(dashboard: str) -> None:
    assert requests.get(f"{dashboard}/_stcore/health", timeout=10).text == "ok"
