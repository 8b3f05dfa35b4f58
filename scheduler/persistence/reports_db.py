"""Report queries: the aggregates of a period computed by the database (GROUP BY), and the
log entries streamed for exports. Functions take the open :class:`Database`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from media.errors import LoaxaError
from scheduler.persistence.db import Database
from scheduler.persistence.models import LogEntryRow
from scheduler.reports.records import (
    AIRED_STATUSES,
    FAILURE_STATUSES,
    NOT_ON_AIR_STATUSES,
    EmergencyItem,
    ExportRow,
    ExportTextRow,
    FailureTotal,
    GroupTotal,
    ReportData,
    TitleTotal,
)
from scheduler.timeutil import LocalHours, local_day_range, local_text

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
    """Entries scheduled in [start, end), by scheduled time then id, streamed by one query
    in batches (a server-side cursor on PostgreSQL): memory stays flat for any range."""
    query = (select(*_EXPORT_COLUMNS)
             .where(_T.c.scheduled_at >= start, _T.c.scheduled_at < end)
             .order_by(_T.c.scheduled_at, _T.c.id))
    try:
        with _connect(db) as connection:
            result = connection.execution_options(yield_per=batch).execute(query)
            for rows in result.partitions():
                yield from map(ExportRow._make, rows)
    except OperationalError as exc:
        raise LoaxaError("db_unavailable", url=db.safe_url, reason=str(exc.orig)) from None


def iter_export_text_batches(db: Database, start: datetime, end: datetime,
                             batch: int = 5000) -> Iterator[list[ExportTextRow]]:
    """As :func:`iter_export_rows`, in lists of up to ``batch`` rows, with the times as
    Vietnam-time texts ``YYYY-MM-DD HH:MM:SS`` ("" when absent): the database gives them as
    UTC text and :class:`LocalHours` turns them into Vietnam time (the offset of each date
    from the time-zone data: UTC+8 before 13 June 1975), the same on SQLite and PostgreSQL.
    The path of the XLSX and PDF exports, which handle a batch at a time."""
    columns = [_utc_text(db, c) if c.name in _UTC_TIMES else c for c in _EXPORT_COLUMNS]
    query = (select(*columns)
             .where(_T.c.scheduled_at >= start, _T.c.scheduled_at < end)
             .order_by(_T.c.scheduled_at, _T.c.id))
    hours = LocalHours()

    def local(text: str | None) -> str:
        if not text:
            return ""
        prefix = hours[text[:13]] if isinstance(text, str) else None
        return local_text(text) if prefix is None else prefix + text[13:19]

    try:
        with _connect(db) as connection:
            result = connection.execution_options(yield_per=batch).execute(query)
            for rows in result.partitions():
                yield [ExportTextRow(i, local(s), local(a), local(e), *rest)
                       for i, s, a, e, *rest in rows]
    except OperationalError as exc:
        raise LoaxaError("db_unavailable", url=db.safe_url, reason=str(exc.orig)) from None


# The columns of the CSV export, in the order of :data:`CSV_ROW_FIELDS`.
CSV_ROW_FIELDS = (
    "id", "scheduled_at", "started_at", "ended_at", "status", "bulletin_id", "bulletin_title",
    "played_ms", "output_device", "reason", "session_id", "audio_sha256", "item_kind",
    "category", "document_ref",
)
_UTC_TIMES = ("scheduled_at", "started_at", "ended_at")


def _utc_text(db: Database, column: Any) -> Any:
    """The column as UTC text ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (NULL stays NULL). SQLite
    stores exactly that (naive UTC, written by the column's type), so the stored text is
    read as it is; PostgreSQL formats its timestamp in UTC."""
    if db.is_sqlite:
        return type_coerce(column, String)  # the stored text, not parsed into a datetime
    return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24:MI:SS")


def iter_export_plain_batches(db: Database, start: datetime, end: datetime,
                              batch: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
    """Entries scheduled in [start, end), by scheduled time then id, as the driver's own
    tuples of :data:`CSV_ROW_FIELDS` (the three times as UTC text), in lists of up to
    ``batch``: the path of the CSV export of a million entries.

    One query, read through the driver's cursor (a server-side cursor on PostgreSQL), so
    memory stays flat and no per-row or per-value work is done here: no result rows, no
    type conversion. The two bounds are written into the statement by SQLAlchemy's own
    literal rendering of the column type (they are datetimes made by LoaXa)."""
    columns = [_utc_text(db, _T.c[name]) if name in _UTC_TIMES else _T.c[name]
               for name in CSV_ROW_FIELDS]
    query = (select(*columns)
             .where(_T.c.scheduled_at >= start, _T.c.scheduled_at < end)
             .order_by(_T.c.scheduled_at, _T.c.id))
    dialect = db.engine.dialect
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    driver_error = dialect.loaded_dbapi.Error
    try:
        with _connect(db) as connection:
            raw = connection.connection
            cursor = raw.cursor() if db.is_sqlite else raw.cursor("loaxa_export")
            try:
                cursor.arraysize = batch
                cursor.execute(sql)
                while rows := cursor.fetchmany(batch):
                    yield rows
            finally:
                cursor.close()
    except driver_error as exc:
        raise LoaxaError("db_unavailable", url=db.safe_url, reason=str(exc)) from None


def report_data(db: Database, first: date, last: date) -> ReportData:
    """The aggregates of local days ``first`` … ``last`` (Vietnam time), all by SQL."""
    start, end = local_day_range(first, last)
    try:
        with _connect(db) as connection:
            return _report(connection, first, last, start, end)
    except OperationalError as exc:
        raise LoaxaError("db_unavailable", url=db.safe_url, reason=str(exc.orig)) from None


def _superseded(connection: Connection, period: Any) -> set[int]:
    """Sequence numbers of the period's entries that a correction replaces: every corrected
    entry, and every correction that a later correction of the same entry replaces."""
    latest: dict[int, int] = {}
    gone: set[int] = set()
    for seq, target in connection.execute(
            select(_T.c.seq, _T.c.corrects_seq).where(period, _T.c.corrects_seq.is_not(None))
            .order_by(_T.c.seq)):
        gone.add(target)
        if target in latest:
            gone.add(latest[target])
        latest[target] = seq
    return gone


def _report(connection: Connection, first: date, last: date, start: datetime,
            end: datetime) -> ReportData:
    """Two scans of the period: one GROUP BY over what the report tells apart (status,
    reason, kind, level, category, document, title), folded here group by group (a few
    hundred groups for a month, never one per entry), and one GROUP BY per session."""
    period = and_(_T.c.scheduled_at >= start, _T.c.scheduled_at < end)
    gone = _superseded(connection, period)
    if gone:  # a correction replaces the entry it corrects (the latest correction counts)
        period = and_(period, _T.c.seq.is_(None) | _T.c.seq.not_in(sorted(gone)))
    keys = (_T.c.status, _T.c.reason, _T.c.item_kind, _T.c.level, _T.c.category,
            _T.c.document_ref, _T.c.bulletin_title)
    groups = connection.execute(
        select(*keys, func.count(), func.coalesce(func.sum(_T.c.played_ms), 0),
               func.min(_T.c.scheduled_at), func.max(_T.c.scheduled_at))
        .where(period).group_by(*keys)).all()
    if not groups:
        return ReportData(first=first, last=last)

    by_status: dict[str, int] = {}
    failures: dict[tuple[str, str], int] = {}
    categories: dict[str, list] = {}
    documents: dict[str, list] = {}
    titles: dict[str, list] = {}
    airtime = bulletins = emergencies = emergency_ms = 0
    for status, reason, kind, level, category, document, title, n, ms, low, high in groups:
        ms = int(ms)
        by_status[status] = by_status.get(status, 0) + n
        if status in NOT_ON_AIR_STATUSES:
            ms = 0  # a correction to failed, missed or skipped keeps the old entry's seconds
        airtime += ms
        if level == "emergency":
            emergency_ms += ms
        if status in FAILURE_STATUSES:
            key = (status, reason or "")
            failures[key] = failures.get(key, 0) + n
        if status not in AIRED_STATUSES:
            continue
        if level == "emergency":
            emergencies += n
        if kind != "bulletin":
            continue
        bulletins += n
        for table, key in ((categories, category or ""), (documents, document or "")):
            total = table.setdefault(key, [0, set(), 0])
            total[0] += n
            total[1].add(title)
            total[2] += ms
        row = titles.setdefault(title, [category or "", document or "", 0, 0, None, None])
        row[0], row[1] = max(row[0], category or ""), max(row[1], document or "")
        row[2] += n
        row[3] += ms
        low, high = _utc(low), _utc(high)
        row[4] = low if row[4] is None else min(row[4], low)
        row[5] = high if row[5] is None else max(row[5], high)

    # A session is one occurrence: its key when the engine recorded one, else its id; an
    # entry with neither (an emergency broadcast outside any session) stands alone.
    aired = _T.c.status.in_(AIRED_STATUSES)
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

    emergency_list = tuple(
        EmergencyItem(_utc(when), title, status, played, who or "")
        for when, title, status, played, who in connection.execute(
            select(_T.c.scheduled_at, _T.c.bulletin_title, _T.c.status, _T.c.played_ms,
                   _T.c.triggered_by)
            .where(period, _T.c.level == "emergency")
            .order_by(_T.c.scheduled_at, _T.c.id).limit(EMERGENCY_LIST_LIMIT)))

    def grouped(table: dict[str, list]) -> tuple[GroupTotal, ...]:
        ordered = sorted(table.items(), key=lambda item: (-item[1][0], item[0]))
        return tuple(GroupTotal(key, n, len(names), ms) for key, (n, names, ms) in ordered)

    held, missed = int(sessions[1]), sessions[2]
    return ReportData(
        first=first, last=last, entries=sum(by_status.values()), by_status=by_status,
        sessions_total=sessions[0], sessions_held=held, sessions_missed=missed,
        sessions_failed=sessions[0] - held - missed,
        airtime_ms=airtime, bulletins_aired=bulletins, titles_aired=len(titles),
        emergencies_aired=emergencies, emergency_ms=emergency_ms, emergencies=emergency_list,
        by_category=grouped(categories), by_document=grouped(documents),
        failures=tuple(FailureTotal(status, reason, n) for (status, reason), n in sorted(
            failures.items(), key=lambda item: (-item[1], item[0]))),
        titles=tuple(TitleTotal(title, *values) for title, values in sorted(titles.items())))


def _utc(moment: Any) -> Any:
    """Aware UTC, whatever the driver returned for a MIN/MAX of a date-time column."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
