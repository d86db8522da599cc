"""`claims serve`: the HTTP service over a store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from claims.commands.common import fail, notices, warn
from claims.service.guards import MAX_BODY, TOKEN_ENV, is_loopback


def serve(
    store: Path = typer.Option(..., "--store", help="The store to serve (made by `claims ingest --store`)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; any but loopback needs --token."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar=TOKEN_ENV, show_envvar=True,
                                        help="Token every request must carry (Authorization: Bearer TOKEN)."),
    max_body: int = typer.Option(MAX_BODY, "--max-body", min=1024, help="Largest request body, in bytes."),
    max_batch: int = typer.Option(100, "--max-batch", min=1, help="Most articles one request may add."),
) -> None:
    """Serve the store over HTTP: the report at /, the API described at /docs.

    Adds articles, lists and filters claims, shows one claim with its mentions and
    comparison, finds the sentences nearest a text, compares two articles, lists speakers.
    """
    if not is_loopback(host) and not token:
        raise fail(f"--host {host} serves other machines: give --token TOKEN (or set {TOKEN_ENV})")
    if token is not None and len(token) < 8:
        raise fail("the token is too short: give at least 8 characters")
    from claims.service import StoreState, create_app
    from claims.store import Store, StoreError

    try:
        with notices():
            state = StoreState(Store.open(store, create=False))
            app = create_app(state, token=token, max_body=max_body, max_batch=max_batch)
    except (StoreError, ValueError) as error:
        raise fail(str(error))
    import uvicorn

    snap = state.snapshot()
    shown = f"[{host}]" if ":" in host else host
    warn(f"serving {store} (generation {snap.generation}, {len(snap.facets)} claims) on http://{shown}:{port}/"
         f" - API at /docs{'; token required' if token else ''}")
    uvicorn.run(app, host=host, port=port, log_level=os.environ.get("CLAIMS_LOG_LEVEL", "warning"),
                timeout_graceful_shutdown=5)
