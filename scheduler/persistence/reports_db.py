"""Report queries: the aggregates of a period computed by the database (GROUP BY), and the
log entries streamed for exports. Functions take the open :class:`Database`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from media.errors import LoaxaError
from scheduler.persistence.db import Database
from scheduler.persistence.models import LogEntryRow
from scheduler.reports.records import (
    AIRED_STATUSES,
    FAILURE_STATUSES,
    EmergencyItem,
    ExportRow,
    FailureTotal,
    GroupTotal,
    ReportData,
    TitleTotal,
)
from scheduler.timeutil import local_day_range

EMERGENCY_LIST_LIMIT = 200

_T = LogEntryRow.__table__
_EXPORT_COLUMNS = (
    _T.c.id, _T.c.scheduled_at, _T.c.started_at, _T.c.ended_at, _T.c.status, _T.c.bulletin_id,
    _T.c.bulletin_title, _T.c.item_kind, _T.c.level, _T.c.category, _T.c.document_ref,
    _T.c.played_ms, _T.c.output_device, _T.c.reason, _T.c.session_id, _T.c.session_key,
    _T.c.triggered_by, _T.c.audio_sha256,
)


def _connect(db: Database) -> Connection:
    try:
        return db.engine.connect()
    except OperationalError as exc:
        raise LoaxaError("db_unavailable", url=db.safe_url, reason=str(exc.orig)) from None


def iter_export_rows(db: Database, start: datetime, end: datetime,
                     batch: int = 5000) -> Iterator[ExportRow]:
    """Entries scheduled in [start, end), by scheduled time then id, fetched in batches
    (keyset pagination on the scheduled_at index): memory stays flat for any range."""
    last: tuple[datetime, int] | None = None
    while True:
        query = (select(*_EXPORT_COLUMNS)
                 .where(_T.c.scheduled_at >= start, _T.c.scheduled_at < end))
        if last is not None:
            query = query.where(or_(_T.c.scheduled_at > last[0],
                                    and_(_T.c.scheduled_at == last[0], _T.c.id > last[1])))
        query = query.order_by(_T.c.scheduled_at, _T.c.id).limit(batch)
        try:
            with _connect(db) as connection:
                rows = [ExportRow(*row) for row in connection.execute(query)]
        except OperationalError as exc:
            raise LoaxaError("db_unavailable", url=db.safe_url, reason=str(exc.orig)) \
                from None
        yield from rows
        if len(rows) < batch:
            return
        last = (rows[-1].scheduled_at, rows[-1].id)


def report_data(db: Database, first: date, last: date) -> ReportData:
    """The aggregates of local days ``first`` … ``last`` (Vietnam time), all by SQL."""
    start, end = local_day_range(first, last)
    try:
        with _connect(db) as connection:
            return _report(connection, first, last, start, end)
    except OperationalError as exc:
        raise LoaxaError("db_unavailable", url=db.safe_url, reason=str(exc.orig)) from None


def _report(connection: Connection, first: date, last: date, start: datetime,
            end: datetime) -> ReportData:
    period = and_(_T.c.scheduled_at >= start, _T.c.scheduled_at < end)
    aired = _T.c.status.in_(AIRED_STATUSES)
    is_bulletin = _T.c.item_kind == "bulletin"

    by_status = {status: count for status, count in connection.execute(
        select(_T.c.status, func.count()).where(period).group_by(_T.c.status))}
    entries = sum(by_status.values())
    if entries == 0:
        return ReportData(first=first, last=last)

    totals = connection.execute(select(
        func.coalesce(func.sum(_T.c.played_ms), 0),
        func.count().filter(and_(aired, is_bulletin)),
        func.count(func.distinct(_T.c.bulletin_title)).filter(and_(aired, is_bulletin)),
        func.count().filter(and_(aired, _T.c.level == "emergency")),
        func.coalesce(func.sum(_T.c.played_ms).filter(_T.c.level == "emergency"), 0),
    ).where(period)).one()

    # A session is one occurrence: its key when the engine recorded one, else its id; an
    # entry with neither (an emergency broadcast outside any session) stands alone.
    session = case(
        (_T.c.session_key != "", _T.c.session_key),
        (_T.c.session_id.is_not(None), literal("session:") + cast(_T.c.session_id, String)),
        else_=literal("entry:") + cast(_T.c.id, String))
    per_session = (select(
        session.label("key"),
        func.max(case((aired, 1), else_=0)).label("aired"),
        func.max(case((_T.c.status == "missed", 1), else_=0)).label("missed"),
    ).where(period).group_by(session).subquery())
    sessions = connection.execute(select(
        func.count(),
        func.coalesce(func.sum(per_session.c.aired), 0),
        func.count().filter(and_(per_session.c.aired == 0, per_session.c.missed == 1)),
    ).select_from(per_session)).one()

    def grouped(column: Any) -> tuple[GroupTotal, ...]:
        rows = connection.execute(
            select(column, func.count(), func.count(func.distinct(_T.c.bulletin_title)),
                   func.coalesce(func.sum(_T.c.played_ms), 0))
            .where(period, aired, is_bulletin).group_by(column)
            .order_by(func.count().desc(), column))
        return tuple(GroupTotal(key or "", n, titles, int(ms)) for key, n, titles, ms in rows)

    failures = tuple(FailureTotal(status, reason or "", n) for status, reason, n in
                     connection.execute(
                         select(_T.c.status, _T.c.reason, func.count())
                         .where(period, _T.c.status.in_(FAILURE_STATUSES))
                         .group_by(_T.c.status, _T.c.reason)
                         .order_by(func.count().desc(), _T.c.status, _T.c.reason)))

    titles = tuple(TitleTotal(title, category or "", document or "", n, int(ms), first_at,
                              last_at)
                   for title, category, document, n, ms, first_at, last_at in
                   connection.execute(
                       select(_T.c.bulletin_title, func.max(_T.c.category),
                              func.max(_T.c.document_ref), func.count(),
                              func.coalesce(func.sum(_T.c.played_ms), 0),
                              func.min(_T.c.scheduled_at), func.max(_T.c.scheduled_at))
                       .where(period, aired, is_bulletin).group_by(_T.c.bulletin_title)
                       .order_by(_T.c.bulletin_title)))
    titles = tuple(_with_utc(t) for t in titles)

    emergencies = tuple(
        EmergencyItem(_utc(when), title, status, played, who or "")
        for when, title, status, played, who in connection.execute(
            select(_T.c.scheduled_at, _T.c.bulletin_title, _T.c.status, _T.c.played_ms,
                   _T.c.triggered_by)
            .where(period, _T.c.level == "emergency")
            .order_by(_T.c.scheduled_at, _T.c.id).limit(EMERGENCY_LIST_LIMIT)))

    return ReportData(
        first=first, last=last, entries=entries, by_status=by_status,
        sessions_total=sessions[0], sessions_held=int(sessions[1]),
        sessions_missed=sessions[2],
        sessions_failed=sessions[0] - int(sessions[1]) - sessions[2],
        airtime_ms=int(totals[0]), bulletins_aired=totals[1], titles_aired=totals[2],
        emergencies_aired=totals[3], emergency_ms=int(totals[4]), emergencies=emergencies,
        by_category=grouped(_T.c.category), by_document=grouped(_T.c.document_ref),
        failures=failures, titles=titles)


def _utc(moment: Any) -> Any:
    """Aggregates (MIN/MAX) bypass the column type on SQLite: parse and mark them UTC."""
    from datetime import UTC

    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _with_utc(total: TitleTotal) -> TitleTotal:
    return TitleTotal(total.title, total.category, total.document_ref, total.times_aired,
                      total.played_ms, _utc(total.first_aired), _utc(total.last_aired))
