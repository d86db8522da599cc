"""What every request passes before any endpoint: the token, and the size of its body.

Both are plain ASGI middleware, so they hold for every route, the documentation included,
and a refused request is answered before its body is read.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from typing import Optional
from urllib.parse import parse_qs

MAX_BODY = 16 * 1024 * 1024  # bytes of one request body: a batch of long articles fits
TOKEN_ENV = "CLAIMS_TOKEN"


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` only serves this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


async def send_error(send, status: int, message: str, headers: Optional[list] = None) -> None:
    """Answer with ``{"error": message}`` and ``status``."""
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
                + (headers or [])})
    await send({"type": "http.response.body", "body": body})


class TokenGuard:
    """Refuse every request without the token (``Authorization: Bearer T``, ``X-Claims-Token: T``,
    or ``?token=T`` for pages opened in a browser).

    Args:
        app: the ASGI app to protect.
        token: the token; None lets every request through (loopback only, see ``claims serve``).
    """

    def __init__(self, app, token: Optional[str]):
        self.app = app
        self.token = token.encode() if token else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.token is None:
            return await self.app(scope, receive, send)
        if not hmac.compare_digest(self._given(scope), self.token):
            return await send_error(send, 401, "missing or wrong token: send 'Authorization: Bearer TOKEN'",
                                    [(b"www-authenticate", b"Bearer")])
        return await self.app(scope, receive, send)

    @staticmethod
    def _given(scope) -> bytes:
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"")
        if auth[:7].lower() == b"bearer ":
            return auth[7:].strip()
        if b"x-claims-token" in headers:
            return headers[b"x-claims-token"].strip()
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        return query.get("token", [""])[0].encode()


class BodyTooLarge(Exception):
    """A request body went over the limit while being read."""


class BodyLimit:
    """Refuse request bodies over ``max_body`` bytes with 413, declared or streamed.

    Args:
        app: the ASGI app to protect.
        max_body: the largest body accepted, in bytes.
    """

    def __init__(self, app, max_body: int = MAX_BODY):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = f"request body over the limit of {self.max_body:,} bytes; send fewer or shorter articles"
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return await send_error(send, 413, message)
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            event = await receive()
            if event["type"] == "http.request":
                seen += len(event.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge()
            return event

        async def tracking_send(event):
            nonlocal started
            started = started or event["type"] == "http.response.start"
            await send(event)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await send_error(send, 413, message)


__all__ = ["BodyLimit", "BodyTooLarge", "MAX_BODY", "TOKEN_ENV", "TokenGuard", "is_loopback"]
