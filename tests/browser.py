"""Open a page from disk in headless Chromium (Debian's, driven by its chromedriver) and report
what a reader would see: whether each image loaded, the console's errors, and a screenshot."""

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# CI sets REQUIRE_BROWSER=1: there a missing browser fails the test instead of skipping it.
needs_chromium = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("REQUIRE_BROWSER"),
                                    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")


@dataclass
class Rendered:
    images: list[dict]  # per <img>: loaded, width, height (as decoded by the browser)
    console_errors: list[str]
    inked: float  # the share of the screenshot's pixels that are not white
    screenshot: Path


@contextmanager
def chromium(width: int = 1100):
    """A headless Chromium, driven by selenium, that keeps its console's messages."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},1000", "--hide-scrollbars", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def render(page: Path, screenshot: Path, width: int = 1100) -> Rendered:
    from matplotlib.image import imread

    with chromium(width) as driver:
        driver.get(page.resolve().as_uri())
        images = driver.execute_script(
            "return [...document.images].map(i => ({loaded: i.complete && i.naturalWidth > 0,"
            " width: i.naturalWidth, height: i.naturalHeight}))")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(height + 100, 8000))
        driver.save_screenshot(str(screenshot))
        errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    pixels = imread(screenshot)[..., :3]
    return Rendered(images, errors, float((pixels.min(axis=-1) < 0.95).mean()), screenshot)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def jupyter(app: str, folder: Path, *options: str, env: dict | None = None):
    """`jupyter <app>` (server, lab) serving `folder` on 127.0.0.1 behind a token: (base URL, token)."""
    import secrets
    import subprocess
    import sys
    import time

    import requests

    token, port = secrets.token_hex(16), free_port()
    server = subprocess.Popen([sys.executable, "-m", "jupyter", app, "--no-browser", "--allow-root", f"--port={port}",
                               f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1", *options],
                              cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # the server's own start, polled: a slow machine waits longer, never fails
            try:
                if requests.get(f"{base}/api/status?token={token}", timeout=5).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=60)
