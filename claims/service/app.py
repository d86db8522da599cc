"""The HTTP service: a FastAPI app over one store (``claims serve``).

Every answer is JSON (the report at ``/`` and the API page at ``/docs`` are HTML); every
refusal is ``{"error": message}`` with a 4xx status, and an unexpected failure is a 500
with a one-line message, its traceback going to the server's log only.
"""

from __future__ import annotations

import json
import logging
import time
from contextlib import asynccontextmanager
from typing import Optional

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware
from starlette.exceptions import HTTPException

from claims.service import views
from claims.service.articles import ARTICLE_SCHEMA, MAX_BATCH, ArticleProblems, articles_from_body
from claims.service.docs import docs_page
from claims.service.guards import MAX_BODY, BodyLimit, TokenGuard
from claims.service.search import QueryBatcher
from claims.service.state import StoreState
from claims.store import StoreError

log = logging.getLogger("claims.service")
MAX_QUERY_CHARS = 2_000
MAX_TOP = 100
MAX_PAGE = 500


def _error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _validation_message(error: RequestValidationError) -> tuple[str, list[dict]]:
    problems = [{"where": ".".join(str(x) for x in e.get("loc", ())), "reason": e.get("msg", "invalid")}
                for e in error.errors()]
    return "; ".join(f"{p['where']}: {p['reason']}" for p in problems) or "invalid request", problems


def create_app(state: StoreState, encoder=None, token: Optional[str] = None, max_body: int = MAX_BODY,
               max_batch: int = MAX_BATCH) -> FastAPI:
    """The service's app over ``state``.

    Args:
        state: the store and its loaded analysis.
        encoder: the encoder for nearest-sentence queries (default: the store's model, loaded
            on the first query and kept).
        token: when given, every request must carry it.
        max_body: the largest request body, in bytes.
        max_batch: the most articles one request may add.
    """
    engine = "given"
    if encoder is None:
        from claims.models import get_encoder
        from claims.service.query_encoder import query_encoder

        model = state.snapshot().analysis.settings.model if state.snapshot().analysis else None
        own = get_encoder(model) if model is not None else get_encoder()
        # Queries may run on a cheaper engine with the same vectors; ingests keep the store's own.
        encoder, engine = query_encoder(own.name if model is not None else None, own)
    batcher = QueryBatcher(encoder)

    @asynccontextmanager
    async def lifespan(app):
        # BLAS on one thread in the serving process: the batch workers are the parallelism, and
        # OpenBLAS's second thread spin-waits after each product, which cost a 1-client query
        # 2.4x its CPU time and made the 10,000-row search 12x slower (benchmarks/service.py).
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
        # Load the model now, once: the first query would otherwise wait for it.
        await run_in_threadpool(encoder.encode, ["chargement du modèle"])
        if hasattr(encoder, "warm"):
            await run_in_threadpool(encoder.warm)
        yield
        await batcher.close()

    app = FastAPI(title="claims", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Claims that recur across news articles: who said them, with what stance, "
                              "where the articles disagree. Reads and grows one store.")
    app.add_middleware(GZipMiddleware, minimum_size=64_000)  # the report of a large store: MBs of JSON
    app.add_middleware(BodyLimit, max_body=max_body)
    app.add_middleware(TokenGuard, token=token)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        message = error.detail if isinstance(error.detail, str) else json.dumps(error.detail)
        if error.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path}; see /docs"
        if error.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs"
        return _error(error.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError):
        message, problems = _validation_message(error)
        return _error(422, message, problems=problems)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        log.exception("error while answering %s %s", request.method, request.url.path)
        return _error(500, "internal error; the server log has the details")

    @app.get("/", response_class=HTMLResponse, summary="The report: every claim as a card, with filters")
    def report():
        from claims.report import content_security_policy

        return HTMLResponse(state.snapshot().report_html,
                            headers={"Content-Security-Policy": content_security_policy()})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs():
        return HTMLResponse(docs_page(app.openapi()))

    @app.get("/health", summary="Store generation and corpus size")
    def health():
        return {**views.health(state.snapshot()), "query_engine": engine}

    @app.post("/articles", summary="Add articles (one object, a list, or {\"articles\": [...]})",
              description="Each article: id, text, optional title, date, source, url (as a line of a "
                          f".jsonl file). At most {max_batch} articles per request. A batch with one bad "
                          "article is refused whole (422, each problem listed); the same id with the same "
                          "text again changes nothing; a changed text replaces the stored article.",
              responses={422: {"description": "invalid JSON or article"}, 413: {"description": "too large"},
                         409: {"description": "another ingest holds the store"}},
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                  "anyOf": [ARTICLE_SCHEMA, {"type": "array", "items": ARTICLE_SCHEMA, "maxItems": max_batch},
                            {"type": "object", "properties": {"articles": {"type": "array", "items": ARTICLE_SCHEMA}}}]}}}}})
    async def add_articles(request: Request):
        raw = await request.body()
        try:
            articles = articles_from_body(raw, max_batch)
        except ArticleProblems as problems:
            return _error(problems.status, str(problems), problems=problems.items)
        try:
            report = await run_in_threadpool(state.ingest, articles)
        except StoreError as error:
            return _error(409 if "lock" in str(error) else 500, str(error))
        except ValueError as error:
            return _error(422, str(error))
        return {**report._asdict(), "summary": report.summary()}

    @app.get("/claims", summary="Claims, most widespread first, filtered")
    def claims(speaker: Optional[str] = Query(None, description="substring of a speaker's name"),
               article: Optional[str] = Query(None, description="an article id the claim holds"),
               outlet: Optional[str] = Query(None, description="an outlet (source or URL host)"),
               since: Optional[str] = Query(None, description="a mention dated on or after (YYYY[-MM[-DD]])"),
               until: Optional[str] = Query(None, description="a mention dated on or before"),
               disputed: bool = Query(False, description="only claims with opposite stances or differing figures"),
               q: Optional[str] = Query(None, max_length=MAX_QUERY_CHARS, description="words all in the claim"),
               limit: int = Query(50, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0)):
        try:
            wanted = views.ClaimFilter(speaker, article, outlet, since, until, disputed, q)
        except ValueError as error:
            return _error(422, str(error))
        return views.list_claims(state.snapshot(), wanted, limit, offset)

    @app.get("/claims/{claim_id}", summary="One claim: mentions with why each matched, comparison, facts",
             responses={404: {"description": "unknown, merged or retired claim id"}})
    def claim(claim_id: str):
        try:
            return views.claim_detail(state.snapshot(), claim_id, state.store)
        except views.NotFound as missing:
            return _error(404, str(missing), **missing.extra)

    @app.get("/similar", summary="The stored sentences nearest to a text, by cosine")
    async def similar(text: str = Query(..., max_length=MAX_QUERY_CHARS, description="the text to look for"),
                      k: int = Query(5, ge=1, le=MAX_TOP, description="how many sentences")):
        began = time.perf_counter()
        if not text.strip():
            return _error(422, "the text to look for is empty")
        snap = state.current() or await run_in_threadpool(state.snapshot)
        if snap.analysis is None or not snap.analysis.rows:
            return {"generation": snap.generation, "results": []}
        rows, timing = await batcher.nearest_timed(text, snap.analysis.embeddings, k)
        answer = JSONResponse({"generation": snap.generation, "results": views.nearest(snap, rows)})
        # Where the time went, for clients and benchmarks (https://www.w3.org/TR/server-timing/).
        answer.headers["Server-Timing"] = (
            f"queue;dur={timing.queued * 1000:.2f}, encode;dur={timing.encode * 1000:.2f}, "
            f"search;dur={timing.search * 1000:.2f}, batch;desc={timing.batch}, "
            f"app;dur={(time.perf_counter() - began) * 1000:.2f}")
        return answer

    @app.get("/compare", summary="The claims two articles share (ids or id prefixes)")
    def compare(a: str = Query(..., description="first article id or prefix"),
                b: str = Query(..., description="second article id or prefix")):
        try:
            return views.compare(state.snapshot(), a, b)
        except views.NotFound as missing:
            return _error(404, str(missing))
        except ValueError as error:
            return _error(422, str(error))

    @app.get("/speakers", summary="Who is quoted, how often, in which articles")
    def speakers():
        return views.speakers(state.snapshot())

    @app.get("/facts", summary="Disputed facts and their versions (when the analysis computes them)")
    def facts():
        return views.facts(state.snapshot())

    return app


__all__ = ["MAX_PAGE", "MAX_QUERY_CHARS", "MAX_TOP", "create_app"]
