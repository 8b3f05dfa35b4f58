"""``loaxa report``: the period's aggregates (SQL) laid out as the official report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from media.errors import LoaxaError
from scheduler.cancel import ShouldStop, stop_point
from scheduler.export import atomic_output
from scheduler.persistence import Database
from scheduler.persistence.reports_db import report_data
from scheduler.reports.document import ReportDocument, build_document
from scheduler.reports.records import ReportData
from scheduler.timeutil import to_local, utc_now

REPORT_FORMATS = ("pdf", "xlsx")


def report_format(out_path: Path, fmt: str | None = None) -> str:
    chosen = (fmt or out_path.suffix.lstrip(".")).lower()
    if chosen not in REPORT_FORMATS:
        raise LoaxaError("report_format_unsupported", suffix=fmt or out_path.suffix or "?")
    return chosen


def month_range(text: str) -> tuple[date, date]:
    """``YYYY-MM`` → its first and last day."""
    import calendar

    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise LoaxaError("bad_month", value=text) from None
    return first, date(year, month, calendar.monthrange(year, month)[1])


def make_document(db: Database, first: date, last: date, *,
                  reason_label: Callable[[str], str] = str,
                  issued_on: date | None = None) -> tuple[ReportData, ReportDocument]:
    data = report_data(db, first, last)
    station = db.get_station()
    document = build_document(data, commune=station.commune_name,
                              centre=station.centre_name,
                              issued_on=issued_on or to_local(utc_now()).date(),
                              reason_label=reason_label)
    return data, document


def write_report(db: Database, first: date, last: date, out_path: Path, *,
                 fonts_dir: Path, fmt: str | None = None,
                 reason_label: Callable[[str], str] = str,
                 issued_on: date | None = None,
                 should_stop: ShouldStop | None = None) -> ReportData:
    """Write the report of local days ``first`` … ``last`` as PDF or XLSX (atomically).
    ``should_stop`` is asked between the steps and while rendering: when it answers True
    the work ends with ``Cancelled`` and no file is written (nor audited)."""
    chosen = report_format(out_path, fmt)
    db.require("log_exported")  # the audit trail records every export (people_db.py)
    stop_point(should_stop)
    data, document = make_document(db, first, last, reason_label=reason_label,
                                   issued_on=issued_on)
    stop_point(should_stop)
    with atomic_output(out_path) as tmp:
        if chosen == "pdf":
            from scheduler.reports.report_pdf import render_pdf

            render_pdf(document, tmp, fonts_dir, should_stop=should_stop)
        else:
            from scheduler.reports.report_xlsx import render_xlsx

            render_xlsx(document, tmp, should_stop=should_stop)
        stop_point(should_stop)  # a stop during the last step: the file is not kept
    db.record_audit("log_exported", "report", {"from": first.isoformat(),
                                               "to": last.isoformat(), "format": chosen,
                                               "entries": data.entries, "path": str(out_path)})
    return data
