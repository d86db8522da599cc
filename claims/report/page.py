"""The report as one self-contained HTML page: styles, script and data inline.

The page makes no request to any host: its Content-Security-Policy (a ``<meta>`` tag, and
the same header when the service serves it) allows only the page's own style and script,
by their SHA-256, and ``data:`` images. Article text never goes into the HTML: it travels
as JSON in a non-executed ``<script type="application/json">`` block, escaped so that no
``</script>`` or ``<!--`` can end it, and the script writes it with ``textContent``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import lru_cache
from importlib.resources import files
from typing import Iterable, Optional

from claims.analysis import Analysis
from claims.records import ClaimGroup
from claims.report.data import report_data

# JSON inside HTML: these characters could end the <script> block or open a comment; as
# \uXXXX escapes they are the same JSON string.
_HTML_SAFE_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                 "\u2028": "\\u2028", "\u2029": "\\u2029"})


_PLACEHOLDER = re.compile(r"\{\{(csp|title|style|script|data)\}\}")


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return files("claims.report").joinpath("assets", name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy() -> str:
    """The page's policy: nothing from any host; only its own inline style and script run."""
    return ("default-src 'none'; "
            f"style-src {_sha256(_asset('report.css'))}; "
            f"script-src {_sha256(_asset('report.js'))}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def embed_json(data: dict) -> str:
    """``data`` as JSON that is safe inside an HTML ``<script>`` element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_HTML_SAFE_JSON)


def page_from_data(data: dict) -> str:
    """The HTML page for report data (see :func:`claims.report.data.report_data`)."""
    parts = {"csp": html.escape(content_security_policy(), quote=True),
             "title": html.escape(data.get("title") or "Claims"),
             "style": _asset("report.css"), "script": _asset("report.js"), "data": embed_json(data)}
    # One pass, so a title holding "{{data}}" stays text.
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("page.html"))


def render_report(analysis: Analysis, groups: Optional[Iterable[ClaimGroup]] = None,
                  title: Optional[str] = None) -> str:
    """The report of an analysis as one self-contained HTML page.

    Example::

        from claims import analyze
        from claims.report import render_report
        Path("report.html").write_text(render_report(analyze(["seeds/"])), encoding="utf-8")
    """
    return page_from_data(report_data(analysis, groups, title))


__all__ = ["content_security_policy", "embed_json", "page_from_data", "render_report"]
