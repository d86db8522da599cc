"""``/docs`` without a CDN: the OpenAPI description as one plain HTML page.

FastAPI's default ``/docs`` (Swagger UI) loads its script and styles from a CDN, so it is
blank on a machine without internet access. This page is built on the server from the same
OpenAPI document (``/openapi.json``) and needs nothing else.
"""

from __future__ import annotations

import html
import json


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _schema_text(schema: dict, spec: dict) -> str:
    """A short description of a JSON schema: a referenced model's name, a type, a list of types."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_schema_text(s, spec) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return "array of " + _schema_text(schema.get("items", {}), spec)
    return schema.get("type", "any")


def docs_page(spec: dict) -> str:
    """The HTML page describing every operation of ``spec`` (an OpenAPI document)."""
    parts = [f"<h1>{_e(spec['info']['title'])} {_e(spec['info'].get('version', ''))}</h1>",
             f"<p>{_e(spec['info'].get('description', ''))}</p>",
             '<p>Machine-readable description: <a href="openapi.json">openapi.json</a>. '
             "With a token, send <code>Authorization: Bearer TOKEN</code>.</p>"]
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            parts.append(f'<section><h2><span class="m">{_e(method.upper())}</span> <code>{_e(path)}</code></h2>')
            parts.append(f"<p>{_e(op.get('summary', ''))}</p>")
            if op.get("description"):
                parts.append(f"<pre class=d>{_e(op['description'])}</pre>")
            params = op.get("parameters", [])
            if params:
                parts.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>meaning</th></tr>")
                for p in params:
                    name = p["name"] + (" (required)" if p.get("required") else "")
                    parts.append(f"<tr><td><code>{_e(name)}</code></td><td>{_e(p['in'])}</td>"
                                 f"<td>{_e(_schema_text(p.get('schema', {}), spec))}</td>"
                                 f"<td>{_e(p.get('description', ''))}</td></tr>")
                parts.append("</table>")
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                parts.append("<p>Body (JSON):</p><pre>" + _e(json.dumps(body.get("schema", {}), indent=1)) + "</pre>")
            answers = ", ".join(f"{_e(code)} {_e(r.get('description', ''))}" for code, r in op.get("responses", {}).items())
            parts.append(f"<p class=r>Answers: {answers}</p></section>")
    style = ("body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1d2329}"
             "section{border-top:1px solid #d7dde3;padding:.3rem 0}h2{font-size:1.05rem}"
             ".m{display:inline-block;min-width:4rem;color:#1f4e8c}table{border-collapse:collapse;font-size:.9rem}"
             "td,th{border:1px solid #d7dde3;padding:.2rem .5rem;text-align:left;vertical-align:top}"
             "pre{background:#f5f7f9;padding:.5rem;overflow-x:auto;font-size:.8rem}.r{color:#5b6570;font-size:.85rem}")
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            "<meta name=viewport content=\"width=device-width, initial-scale=1\"><link rel=icon href=\"data:,\">"
            f"<title>{_e(spec['info']['title'])}: API</title><style>{style}</style></head><body>"
            + "".join(parts) + "</body></html>")


__all__ = ["docs_page"]
