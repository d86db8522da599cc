"""Articles sent to the service: the checks and messages of a ``.jsonl`` line in the CLI.

A body is one article object, a list of them, or ``{"articles": [...]}``. Each object is
checked by the same function that reads a line of a ``.jsonl`` file
(:mod:`claims.ingest.corpus`), so a missing ``text`` or an over-long article gets the message
the CLI prints, prefixed with where it is (``articles[3]``). Unlike the CLI, which reads the
good files and skips the bad, a batch with one bad article is refused whole: the client can
fix it and send the same batch again (adding the same article twice changes nothing).
"""

from __future__ import annotations

import json

from claims.ingest.corpus import MAX_ARTICLE_CHARS, _jsonl_article
from claims.records import Article

MAX_BATCH = 100  # articles one request may add

ARTICLE_SCHEMA = {
    "type": "object", "required": ["id", "text"],
    "properties": {"id": {"type": "string"}, "text": {"type": "string", "maxLength": MAX_ARTICLE_CHARS},
                   "title": {"type": "string"}, "date": {"type": "string", "description": "YYYY-MM-DD"},
                   "source": {"type": "string"}, "url": {"type": "string"}},
}


class ArticleProblems(ValueError):
    """Why a body of articles was refused: a message, a status and each problem found."""

    def __init__(self, message: str, items: list[dict] | None = None, status: int = 422):
        super().__init__(message)
        self.items = items or []
        self.status = status


def articles_from_body(raw: bytes, max_batch: int = MAX_BATCH) -> list[Article]:
    """The articles of a request body, all checked.

    Raises:
        ArticleProblems: invalid JSON or UTF-8, a wrong shape, too many articles (413), or
            any article the CLI would refuse (each listed with where it is and why).
    """
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ArticleProblems("the body is not valid UTF-8 (JSON must be UTF-8)") from None
    except ValueError as error:
        raise ArticleProblems(f"invalid JSON ({error.msg}, line {error.lineno} column {error.colno})") from None
    if isinstance(body, dict) and isinstance(body.get("articles"), list):
        body = body["articles"]
    records = body if isinstance(body, list) else [body]
    if not records:
        raise ArticleProblems("no article in the body")
    if len(records) > max_batch:
        raise ArticleProblems(f"{len(records):,} articles in one request; the limit is {max_batch:,}: "
                              "send them in several requests", status=413)
    articles, problems, seen = [], [], {}
    for i, record in enumerate(records):
        where = f"articles[{i}]"
        article, reason = _jsonl_article(record, where)
        if reason is None and article.id in seen:
            reason = f"duplicate article id {article.id!r} (first at {seen[article.id]})"
        if reason is not None:
            problems.append({"where": where, "reason": reason})
            continue
        seen[article.id] = where
        articles.append(article)
    if problems:
        head = "; ".join(f"{p['where']}: {p['reason']}" for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ArticleProblems(f"{len(problems)} of {len(records)} articles refused, none added: {head}{more}",
                              problems)
    return articles


__all__ = ["ARTICLE_SCHEMA", "ArticleProblems", "MAX_BATCH", "articles_from_body"]
