"""Headless chromium for the tests that open the report, and what they read from the page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[1] / ".artifacts"  # git-ignored


def start_browser():
    """A selenium driver on Debian's chromium, or a skip (a failure when CI requires it)."""
    binary = next((b for b in CHROMIUM if os.path.exists(b)), None)
    missing = None
    if binary is None or not os.path.exists(CHROMEDRIVER):
        missing = "Debian chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing = missing or "selenium is not installed"
    if missing:
        if os.environ.get("CLAIMS_REQUIRE_BROWSER"):
            pytest.fail(missing)
        pytest.skip(missing)
    options = Options()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--no-first-run", "--disable-background-networking"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Selenium Manager must not look for (or download) a driver: the service names Debian's.
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def console_errors(driver) -> list[str]:
    """The browser console's errors since the last call (CSP refusals are errors too)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]


def requested_urls(driver) -> list[str]:
    """Every URL the page loaded (navigation and resources), from the Performance API."""
    return driver.execute_script(
        "return performance.getEntries().filter(e => e.entryType === 'navigation' || "
        "e.entryType === 'resource').map(e => e.name)")


def screenshot(driver, name: str) -> Path:
    """Save a PNG of the window under .artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    return path
