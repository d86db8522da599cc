"""The HTML report as a reader meets it: one file, opened in headless chromium."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from claims.report import render_report
from claims.report.data import report_data
from tests.browser_helpers import console_errors, requested_urls, screenshot
from tests.report_helpers import synthetic_analysis, with_toll_fact

REPO = Path(__file__).resolve().parents[1]
EVIL = "<img src=x onerror=\"window.__xss=1\"></script><script>window.__xss=2</script><!-- {{data}}"


class _Links(HTMLParser):
    """Every URL an element of the page would load or link to."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [v for k, v in attrs.items() if k in ("src", "href", "action", "srcset", "poster", "data")]
        if tag == "script":
            self.scripts.append(attrs)


def open_page(browser, tmp_path: Path, html: str, width: int = 1280, height: int = 900):
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    browser.set_window_size(width, height)
    browser.get(path.as_uri())
    browser.find_element("css selector", "#status")  # the script has run once it is filled
    return path


def cards(browser) -> list[str]:
    return browser.execute_script("return [...document.querySelectorAll('#cards .card')].map(c => c.dataset.claim)")


def set_filter(browser, element_id: str, value) -> None:
    """Set a filter control as a user would, and fire the event the page listens to."""
    browser.execute_script(
        "const e = document.getElementById(arguments[0]);"
        "if (e.type === 'checkbox') e.checked = arguments[1]; else e.value = arguments[1];"
        "e.dispatchEvent(new Event(e.tagName === 'INPUT' && e.type !== 'checkbox' ? 'input' : 'change'));"
        "if (e.type === 'search') document.getElementById('filters').requestSubmit();", element_id, value)


def test_page_loads_nothing_from_anywhere_and_escapes_article_text():
    html = render_report(synthetic_analysis(3, texts={1: EVIL}))
    links = _Links()
    links.feed(html)
    assert all(u.startswith("data:") for u in links.urls), links.urls
    assert all("src" not in s for s in links.scripts)  # no script file: styles and script inline
    assert "<img src=x" not in html and "<script>window.__xss" not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src &#x27;none&#x27;" in csp and "unsafe-inline" not in csp
    # The data block is still the analysis, unchanged by the escaping.
    block = re.search(r'<script id="claims-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert any(EVIL in m["text"] for c in data["claims"] for m in c["mentions"])


def test_claims_come_most_widespread_then_most_disputed():
    analysis = synthetic_analysis(6)
    order = [c["id"] for c in report_data(analysis)["claims"]]
    disputed = {g.id for g in analysis.groups if g.comparison.figure_conflicts}
    assert order[:len(disputed)] == sorted(disputed)  # all span two articles: disputed ones lead


def test_the_same_corpus_gives_the_same_page():
    first = render_report(synthetic_analysis(4))
    assert render_report(synthetic_analysis(4)) == first  # no clock time in the page
    dates = [a.date for a in synthetic_analysis(4).articles if a.date]
    assert report_data(synthetic_analysis(4))["generated"] == max(dates, default="")


def test_demo_report_in_chromium(browser, tmp_path):
    from claims import analyze

    analysis = analyze([str(REPO / "seeds")])
    open_page(browser, tmp_path, render_report(analysis))
    shown = cards(browser)
    assert sorted(shown) == sorted(g.id for g in analysis.groups)
    first = analysis.groups[0]
    mention_count = browser.execute_script(
        "return document.querySelector('[data-claim=\"' + arguments[0] + '\"]').querySelectorAll('.mention').length",
        first.id)
    assert mention_count == len(first.mentions)
    # Stances read without colour: each badge carries its word.
    words = set(browser.execute_script("return [...document.querySelectorAll('.mention .stance')].map(s => s.textContent)"))
    assert words and all(any(w in x for w in ("favor", "against", "neutral", "no stance")) for x in words)
    screenshot(browser, "report-laptop.png")

    speaker = "Jens Stoltenberg"
    set_filter(browser, "f-speaker", speaker)
    expected = {g.id for g in analysis.select(speaker=speaker) if any(m.attribution.speaker == speaker for m in g.mentions)}
    assert set(cards(browser)) == expected and 0 < len(expected) < len(analysis.groups)
    set_filter(browser, "f-speaker", "")
    set_filter(browser, "f-text", "zzz introuvable")
    assert cards(browser) == []
    assert "No claim matches" in browser.find_element("id", "status").text
    set_filter(browser, "f-text", "")
    assert len(cards(browser)) == len(analysis.groups)

    open_page(browser, tmp_path, render_report(analysis), width=390, height=844)
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(browser, "report-phone.png")
    assert console_errors(browser) == []
    assert all(u.startswith("file://") for u in requested_urls(browser))


def test_hostile_article_text_is_shown_as_text(browser, tmp_path):
    open_page(browser, tmp_path, render_report(synthetic_analysis(3, texts={1: EVIL})))
    assert browser.execute_script("return window.__xss") is None
    assert browser.execute_script("return document.querySelectorAll('#cards img, #cards script').length") == 0
    assert EVIL in browser.find_element("css selector", '[data-claim="c00002"] .claim-text').text
    assert console_errors(browser) == []


def test_five_thousand_claims_render_a_page_at_a_time(browser, tmp_path):
    analysis = synthetic_analysis(5000, texts={4321: "Une phrase rare sur les obus de 155 mm."})
    open_page(browser, tmp_path, render_report(analysis))
    first = len(cards(browser))
    assert 0 < first < 200  # not 5,000 cards in the page at once
    assert "5,000 claims" in browser.find_element("id", "status").text
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")  # reading on loads more
    WebDriverWait(browser, 10).until(lambda b: len(cards(b)) > first)
    set_filter(browser, "f-text", "obus de 155")  # found though far beyond the first page
    assert cards(browser) == ["c04322"]
    set_filter(browser, "f-text", "")
    set_filter(browser, "f-disputed", True)
    status = browser.find_element("id", "status").text
    assert f"of {len([g for g in analysis.groups if g.comparison.figure_conflicts]):,} claims" in status
    assert console_errors(browser) == []


def test_cli_writes_the_report_file(tmp_path):
    out = tmp_path / "report.html"
    run = subprocess.run([sys.executable, str(REPO / "cli.py"), "report", str(REPO / "seeds"), "-o", str(out)],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "Claims in 5 articles" in out.read_text(encoding="utf-8")
    recent = tmp_path / "recent.html"
    run = subprocess.run([sys.executable, str(REPO / "cli.py"), "report", str(REPO / "seeds"), "--since", "2023-01-01",
                          "-o", str(recent)], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stderr  # a window applies to files as it does to a store
    page = recent.read_text(encoding="utf-8")
    assert "Claims in 5 articles" not in page and "Claims in " in page
    run = subprocess.run([sys.executable, str(REPO / "cli.py"), "report", str(REPO / "seeds"), "--store", str(tmp_path)],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert run.returncode == 1 and "give PATHS or --store, not both" in run.stderr


def test_fact_versions_side_by_side_in_date_order(browser, tmp_path):
    open_page(browser, tmp_path, render_report(with_toll_fact(synthetic_analysis(3))))
    versions = browser.execute_script(
        "return [...document.querySelectorAll('[data-fact=\"f001\"] .version')].map(v => ["
        "v.querySelector('.when').textContent, v.querySelector('.value').textContent, v.getBoundingClientRect().left])")
    assert [v[1] for v in versions] == ["820 morts", "au moins 2012 morts"]  # earliest first
    assert versions[0][2] < versions[1][2]  # side by side, left to right
    assert "first" in versions[0][0]
    assert "c00001" in browser.find_element("css selector", '[data-fact="f001"]').text
    assert console_errors(browser) == []
