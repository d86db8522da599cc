"""`claims serve` as a client meets it: a real uvicorn on 127.0.0.1, spoken to over HTTP."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from claims.store import Store
from tests.browser_helpers import console_errors, requested_urls, screenshot
from tests.service_helpers import REPO, Server

TOKEN = "test-token-0123456789"
MAX_BODY = 200_000
NEW_ARTICLE = {
    "id": "105_added", "date": "2023-07-01", "source": "AFP",
    "text": "L'Otan promet encore des armes lourdes\n\nLe secrétaire général de l'OTAN, Jens Stoltenberg, "
            "a déclaré mardi que l'Ukraine avait besoin de plus d'armes lourdes pour faire face à la Russie. "
            "Les alliés se réuniront de nouveau à Bruxelles.",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("service")
    with Store.open(folder / "store", create=True) as store:
        store.ingest([str(REPO / "seeds")])
    # The token comes from CLAIMS_TOKEN, as an operator would set it.
    running = Server(folder / "store", folder / "serve.log", "--max-body", str(MAX_BODY), "--max-batch", "3",
                     token=TOKEN)
    yield running
    running.stop()
    assert "Traceback" not in running.log.read_text(errors="replace")


def test_claims_answers_and_reads_offline_docs(server):
    with server.client() as client:
        health = client.get("/health").json()
        assert health["articles"] == 5 and health["claims"] > 0
        listed = client.get("/claims", params={"limit": 500}).json()
        assert listed["total"] == health["claims"] == len(listed["claims"])
        one = client.get(f"/claims/{listed['claims'][0]['id']}").json()
        assert len(one["mentions"]) == listed["claims"][0]["mentions"]
        assert all("link" in m and "outlet" in m for m in one["mentions"]) and one["comparison"] is not None
        speaker = client.get("/claims", params={"speaker": "stoltenberg"}).json()
        assert 0 < speaker["total"] < listed["total"]
        assert client.get("/claims", params={"q": "zzz introuvable"}).json()["total"] == 0
        found = client.get("/similar", params={"text": "des obus de 155 mm", "k": 3}).json()["results"]
        assert len(found) == 3 and "155" in found[0]["text"]
        shared = client.get("/compare", params={"a": "000", "b": "001"}).json()
        assert shared["a"].startswith("000_") and shared["shared"]
        assert client.get("/speakers").json()["speakers"][0]["sentences"] > 0
        docs = client.get("/docs")
        assert docs.status_code == 200 and "/similar" in docs.text and "cdn" not in docs.text.lower()
        assert "/articles" in client.get("/openapi.json").json()["paths"]


def test_concurrent_requests_all_answer_alike(server):
    queries = ["armes lourdes pour l'Ukraine", "ligne de crédit", "réunion de Ramstein", "aide américaine"] * 10

    def ask(text):
        with server.client() as client:
            similar = client.get("/similar", params={"text": text, "k": 2})
            claims = client.get("/claims", params={"q": text.split()[0]})
            return similar.status_code, claims.status_code, [r["text"] for r in similar.json()["results"]]

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(ask, queries))
    assert all(a[:2] == (200, 200) for a in answers)
    by_text = {}
    for text, (_, _, found) in zip(queries, answers):
        by_text.setdefault(text, []).append(found)
    assert all(all(f == found[0] for f in found) for found in by_text.values())


def test_refusals_are_json_with_a_message(server):
    with server.client() as client:
        big = client.post("/articles", content=b'{"id": "x", "text": "' + b"a" * MAX_BODY + b'"}',
                          headers={"Content-Type": "application/json"})
        assert big.status_code == 413 and "limit" in big.json()["error"]
        streamed = client.post("/articles", content=iter([b"[" + b" " * 65536] * 5),  # chunked, no length
                               headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413 and "limit" in streamed.json()["error"]
        bad = client.post("/articles", content=b'{"id": "x", "text": ', headers={"Content-Type": "application/json"})
        assert bad.status_code == 422 and "invalid JSON" in bad.json()["error"]
        many = client.post("/articles", json=[NEW_ARTICLE] * 4)
        assert many.status_code == 413 and "limit is 3" in many.json()["error"]
        invalid = client.post("/articles", json=[{"id": "a", "text": "Un texte."}, {"id": "b"}, {"text": "x"}])
        assert invalid.status_code == 422
        assert [p["reason"] for p in invalid.json()["problems"]] == ["missing field 'text'", "missing field 'id'"]
        assert client.get("/claims/c999").status_code == 404
        assert client.get("/claims", params={"since": "2023-13"}).status_code == 422
        assert client.get("/similar", params={"text": " "}).status_code == 422
        assert client.get("/similar", params={"text": "x", "k": 0}).status_code == 422
        assert client.delete("/claims").status_code == 405
        assert client.get("/compare", params={"a": "000", "b": "nothing"}).status_code == 404
        for answer in (big, streamed, bad, many, invalid):
            assert "Traceback" not in answer.text and answer.headers["content-type"] == "application/json"
        assert client.get("/health").json()["articles"] == 5  # nothing refused was added


def test_every_request_needs_the_token(server):
    for token in (None, "wrong-token-0123456789"):
        with server.client(token=token) as client:
            for method, path in (("GET", "/health"), ("GET", "/"), ("GET", "/docs"), ("POST", "/articles")):
                answer = client.request(method, path, json=NEW_ARTICLE if method == "POST" else None)
                assert answer.status_code == 401, (token, path)
                assert "token" in answer.json()["error"]
    with server.client(token=None) as client:
        assert client.get("/", params={"token": TOKEN}).status_code == 200  # a browser opens the report so
        assert client.get("/health", headers={"X-Claims-Token": TOKEN}).status_code == 200


def test_refuses_to_listen_beyond_loopback_without_a_token(tmp_path):
    run = subprocess.run([sys.executable, str(REPO / "cli.py"), "serve", "--store", str(tmp_path), "--host", "0.0.0.0"],
                         capture_output=True, text=True, cwd=REPO, timeout=120,
                         env={k: v for k, v in __import__("os").environ.items() if k != "CLAIMS_TOKEN"})
    assert run.returncode == 1 and "--token" in run.stderr


def test_added_articles_keep_claim_ids_and_other_writers_are_seen(server, tmp_path):
    with server.client() as client:
        before = {c["id"] for c in client.get("/claims", params={"limit": 500}).json()["claims"]}
        generation = client.get("/health").json()["generation"]
        added = client.post("/articles", json=NEW_ARTICLE)
        assert added.status_code == 200, added.text
        assert added.json()["added"] == [NEW_ARTICLE["id"]]
        after = client.get("/claims", params={"limit": 500}).json()
        merged = {absorbed for _, absorbed in added.json()["merges"]}
        assert before - merged <= {c["id"] for c in after["claims"]}
        assert client.get("/health").json()["generation"] == generation + 1
        again = client.post("/articles", json={"articles": [NEW_ARTICLE]}).json()
        assert again["unchanged"] == [NEW_ARTICLE["id"]] and again["generation"] == generation + 1
        # Another process adds an article: the service reads the new generation on its next request.
        store_path = server.process.args[server.process.args.index("--store") + 1]
        code = ("import sys; from claims.store import Store; s = Store.open(sys.argv[1]);"
                "s.ingest({'106_other': 'Jens Stoltenberg a déclaré que les alliés livreront des obus de 155 mm.'})")
        subprocess.run([sys.executable, "-c", code, store_path], check=True, cwd=REPO, timeout=600)
        health = client.get("/health").json()
        assert health["generation"] == generation + 2 and health["articles"] == 7


def test_report_page_in_chromium(server, browser):
    with server.client() as client:
        total = client.get("/claims").json()["total"]
    browser.set_window_size(1280, 900)
    browser.get(f"{server.url}/?token={TOKEN}")
    browser.find_element("css selector", "#status")
    shown = browser.execute_script("return document.querySelectorAll('#cards .card').length")
    assert shown == min(total, 40)
    assert console_errors(browser) == []
    assert all(url.startswith(server.url) for url in requested_urls(browser))
    screenshot(browser, "service-report.png")
    browser.get(f"{server.url}/docs?token={TOKEN}")
    assert "/similar" in browser.page_source
    assert console_errors(browser) == []
    assert all(url.startswith(server.url) for url in requested_urls(browser))


def test_report_of_a_store_from_the_cli(server, tmp_path):
    store_path = server.process.args[server.process.args.index("--store") + 1]
    out = tmp_path / "report.html"
    run = subprocess.run([sys.executable, str(REPO / "cli.py"), "report", "--store", store_path, "-o", str(out)],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stderr
    with server.client() as client:
        ids = {c["id"] for c in client.get("/claims", params={"limit": 500}).json()["claims"]}
    page = out.read_text(encoding="utf-8")
    assert all(f'"id":"{claim_id}"' in page for claim_id in ids)
    missing = subprocess.run([sys.executable, str(REPO / "cli.py"), "report", "--store", str(tmp_path / "none")],
                             capture_output=True, text=True, cwd=REPO, timeout=600)
    assert missing.returncode == 1 and "claims: error:" in missing.stderr
