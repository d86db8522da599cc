"""A time window over article dates: ``--since`` / ``--until``.

Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date stands for its whole
period, so ``--until 2023-06`` keeps June 2023 and an article dated ``2023-06`` is inside
``--since 2023-06-15``. Articles with no date, or a date in another form, are outside any
window.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple, Optional

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_date(value: str, name: str = "date") -> str:
    """``value`` stripped, if it is a real ``YYYY[-MM[-DD]]`` date.

    Raises:
        ValueError: naming the option and the accepted forms.
    """
    text = str(value).strip()
    match = _ISO.match(text)
    if match:
        year, month, day = match.groups()
        try:
            dt.date(int(year), int(month or 1), int(day or 1))
            return text
        except ValueError:
            pass
    raise ValueError(f"{name} {value!r} is not a date: give YYYY-MM-DD, YYYY-MM or YYYY")


def _first_day(date: str) -> str:
    return date + "-01" * (2 - date.count("-"))


def _last_day(date: str) -> str:
    # "-99" sorts after any real month and day: the end of a partial date's period.
    return date + "-99" * (2 - date.count("-"))


class Window(NamedTuple):
    """Articles dated between ``since`` and ``until`` (either may be open)."""

    since: Optional[str] = None
    until: Optional[str] = None

    @classmethod
    def parse(cls, since: Optional[str] = None, until: Optional[str] = None) -> "Window":
        """A checked window.

        Raises:
            ValueError: for a bad date, or ``since`` after ``until``.
        """
        since = check_date(since, "--since") if since else None
        until = check_date(until, "--until") if until else None
        if since and until and _first_day(since) > _last_day(until):
            raise ValueError(f"--since {since} is after --until {until}")
        return cls(since, until)

    @property
    def open(self) -> bool:
        """True when the window keeps every article (no bound given)."""
        return self.since is None and self.until is None

    def holds(self, date: Optional[str]) -> bool:
        """Whether an article with this date is inside the window."""
        if self.open:
            return True
        date = (date or "").strip()
        if not _ISO.match(date):
            return False
        if self.since and _last_day(date) < _first_day(self.since):
            return False
        if self.until and _first_day(date) > _last_day(self.until):
            return False
        return True

    def __str__(self) -> str:
        return f"{self.since or '…'} to {self.until or '…'}"


__all__ = ["Window", "check_date"]
