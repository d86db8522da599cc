"""The report people read: one self-contained HTML page of the claims (``claims report``).

Example::

    from claims import analyze
    from claims.report import render_report
    html = render_report(analyze(["seeds/"]))
"""

from claims.report.data import report_data
from claims.report.page import content_security_policy, page_from_data, render_report

__all__ = ["content_security_policy", "page_from_data", "render_report", "report_data"]
