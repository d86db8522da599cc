"""One cache folder for the whole suite, set before any test imports the embeddings code.

``CLAIMS_CACHE_DIR`` is kept when already set (CI sets it to the clone's ``.cache/claims``);
otherwise it becomes ``<repo>/.cache/claims``, a git-ignored folder, so the models built and
the embeddings cached by one run serve the next. Subprocesses started by tests inherit it.
Tests of the cache itself use their own ``tmp_path``.
"""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

if not os.environ.get("CLAIMS_CACHE_DIR"):
    os.environ["CLAIMS_CACHE_DIR"] = str(REPO / ".cache" / "claims")


@pytest.fixture(scope="session")
def attributor():
    """The spaCy-based attributor, loaded once for the suite (skips without the spaCy model)."""
    pytest.importorskip("spacy")
    from claims.attribution import SpeakerAttributor
    from claims.french.nlp import french_nlp

    try:
        nlp = french_nlp()
    except RuntimeError:
        pytest.skip("spaCy model fr_core_news_md is not installed")
    return SpeakerAttributor(nlp=nlp)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium through /usr/bin/chromedriver (never downloads a browser).

    Skips when chromium is not installed here; fails instead when ``CLAIMS_REQUIRE_BROWSER``
    is set (CI installs it, so a missing browser there is a broken set-up, not a skip).
    """
    from tests.browser_helpers import start_browser

    driver = start_browser()
    yield driver
    driver.quit()
