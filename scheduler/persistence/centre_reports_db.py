"""The centre's consolidated report: the entries the communes sent (``centre_log_entry``),
totalled per commune and across communes for a period. Same code on SQLite and PostgreSQL.

One streamed scan of the period (the index on ``scheduled_at``) folded here: per commune,
per session, per category and document. A correction replaces the entry it corrects (the
latest correction of an entry counts, docs/log-format.md); corrections are found first by
a small query on their own partial index (migration 0007)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String, and_, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError

from media.errors import LoaxaError
from scheduler.cancel import ShouldStop, stop_point
from scheduler.persistence.db import Database
from scheduler.persistence.models import CentreLogEntryRow, CentreStationRow
from scheduler.reports.centre_records import (
    CentreCommune,
    CentreEmergency,
    CentreFailure,
    CentreGroupTotal,
    CentreReportData,
    CommuneTotal,
)
from scheduler.reports.records import AIRED_STATUSES, FAILURE_STATUSES, NOT_ON_AIR_STATUSES
from scheduler.timeutil import local_day_range

EMERGENCY_LIST_LIMIT = 200
_T = CentreLogEntryRow.__table__
_S = CentreStationRow.__table__
_AIRED = frozenset(AIRED_STATUSES)
_FAILURE = frozenset(FAILURE_STATUSES)
_NOT_ON_AIR = frozenset(NOT_ON_AIR_STATUSES)


def _failing(db: Database, exc: Exception) -> LoaxaError:
    orig = getattr(exc, "orig", None) or exc
    return LoaxaError("db_unavailable", url=db.safe_url, reason=str(orig).strip())


def centre_communes(db: Database) -> list[CentreCommune]:
    """The registered communes, by name: stations sharing an administrative code are one
    commune (a new key after a lost one); a station without a code is a commune of its own.
    The name is that of the newest registration."""
    try:
        with db.engine.connect() as connection:
            rows = connection.execute(
                select(_S.c.station_id, _S.c.commune_name, _S.c.admin_code, _S.c.registered_at)
                .order_by(_S.c.registered_at, _S.c.id)).all()
    except (OperationalError, ProgrammingError) as exc:
        raise _failing(db, exc) from None
    grouped: dict[str, list[Any]] = {}
    for station_id, name, code, registered in rows:
        key = code.strip() if code and code.strip() else f"station:{station_id}"
        grouped.setdefault(key, []).append((station_id, name, code, _utc(registered)))
    communes = [CentreCommune(key=key, name=members[-1][1].strip() or members[-1][0],
                              admin_code=members[-1][2] or "",
                              station_ids=tuple(m[0] for m in members),
                              registered_at=min(m[3] for m in members))
                for key, members in grouped.items()]
    return sorted(communes, key=lambda c: (c.name.casefold(), c.key))


def centre_report_data(db: Database, first: date, last: date,
                       communes: Sequence[CentreCommune], *,
                       progress: Callable[[int], None] | None = None,
                       should_stop: ShouldStop | None = None) -> CentreReportData:
    """The figures of local days ``first`` … ``last`` for ``communes`` (all registered
    ones, or a selection of them). ``progress`` gets the number of entries read so far and
    ``should_stop`` is asked after each batch read (``Cancelled``): a report of years reads
    millions of entries."""
    start, end = local_day_range(first, last)
    try:
        with db.engine.connect() as connection:
            return _report(connection, first, last, start, end, communes,
                           everyone=len(communes) == len(centre_communes(db)),
                           progress=progress, should_stop=should_stop)
    except (OperationalError, ProgrammingError) as exc:
        raise _failing(db, exc) from None


class _Acc:
    """One commune's running totals."""

    __slots__ = ("airtime", "emergencies", "entries", "failures", "first", "last", "titles")

    def __init__(self) -> None:
        self.entries = self.airtime = self.emergencies = self.failures = 0
        # (category, document, title) of aired bulletins → [times aired, ms]
        self.titles: dict[tuple[str, str, str], list[int]] = {}
        self.first: Any = None  # the scheduled times as the driver gives them
        self.last: Any = None


# A session's flags: an item aired; an item missed (nothing aired: the session is missed).
_AIRED_FLAG, _MISSED_FLAG = 1, 2


def _superseded(connection: Connection, period: Any, stations: Any) -> set[tuple[str, int]]:
    """(station, seq) of the entries of the period that a correction replaces: every entry
    that is corrected, and every correction that a later correction of the same entry
    replaces in turn."""
    query = (select(_T.c.station_id, _T.c.seq, _T.c.corrects_seq)
             .where(period, _T.c.corrects_seq.is_not(None)))
    if stations is not None:
        query = query.where(stations)
    latest: dict[tuple[str, int], int] = {}
    gone: set[tuple[str, int]] = set()
    for station, seq, target in connection.execute(query):
        gone.add((station, target))
        known = latest.get((station, target))
        if known is None or seq > known:
            if known is not None:
                gone.add((station, known))
            latest[(station, target)] = seq
        else:
            gone.add((station, seq))
    return gone


def _report(connection: Connection, first: date, last: date, start: datetime, end: datetime,
            communes: Sequence[CentreCommune], everyone: bool,
            progress: Callable[[int], None] | None = None,
            should_stop: ShouldStop | None = None) -> CentreReportData:
    commune_of = {station: c for c in communes for station in c.station_ids}
    period = and_(_T.c.scheduled_at >= start, _T.c.scheduled_at < end)
    stations = None if everyone else _T.c.station_id.in_(sorted(commune_of))
    gone = _superseded(connection, period, stations)

    # The scheduled time as the driver gives it (text on SQLite, a datetime on PostgreSQL),
    # compared as such: turning 17,000 texts into datetimes took longer than the rest of
    # the fold. Only the few values kept (first, last, emergencies) are converted.
    when_raw = type_coerce(_T.c.scheduled_at, String)
    query = select(_T.c.station_id, _T.c.seq, when_raw, _T.c.status, _T.c.reason,
                   _T.c.item_kind, _T.c.level, _T.c.category, _T.c.document_ref,
                   _T.c.bulletin_title, _T.c.played_ms, _T.c.session_key, _T.c.session_id,
                   _T.c.triggered_by).where(period)
    if stations is not None:
        query = query.where(stations)
    accs = {c.key: _Acc() for c in communes}
    # per station: its commune's totals and its own sessions (occurrence key → flags)
    slots = {station: (accs[c.key], {}, c.key) for station, c in commune_of.items()}
    failures: dict[tuple[str, str, str], int] = {}
    emergencies: list[tuple[datetime, str, str, str, int, str]] = []
    replaced = 0
    result = connection.execution_options(yield_per=5000).execute(query)
    read = 0
    for rows in result.partitions():
        stop_point(should_stop)
        read += len(rows)
        if progress is not None:
            progress(read)
        for (station, seq, when, status, reason, kind, level, category, document, title,
             played, session_key, session_id, who) in rows:
            slot = slots.get(station)
            if slot is None:
                continue  # a station not asked for
            if gone and (station, seq) in gone:
                replaced += 1
                continue
            acc, sessions, commune_key = slot
            acc.entries += 1
            if acc.first is None or when < acc.first:
                acc.first = when
            if acc.last is None or when > acc.last:
                acc.last = when
            aired = status in _AIRED
            # Airtime of what reached the loudspeakers, whole, in part or until interrupted;
            # a correction to failed, missed or skipped keeps the seconds of the entry it
            # corrects, which then did not go on air.
            if status not in _NOT_ON_AIR:
                acc.airtime += played
            # A session is one occurrence of one station: its key when the engine recorded
            # one, else its id; an entry with neither (an emergency outside any session)
            # stands alone. A commune with two keys has two stations' sessions.
            key = session_key or (f"id:{session_id}" if session_id is not None
                                  else f"seq:{seq}")
            sessions[key] = sessions.get(key, 0) | (
                _AIRED_FLAG if aired else _MISSED_FLAG if status == "missed" else 0)
            if status in _FAILURE:
                acc.failures += 1
                fkey = (commune_key, status, reason)
                failures[fkey] = failures.get(fkey, 0) + 1
            if level == "emergency":
                emergencies.append((_utc(when), station, title, status, played, who))
                if aired:
                    acc.emergencies += 1
            if aired and kind == "bulletin":
                tkey = (category, document, title)
                counts = acc.titles.get(tkey)
                if counts is None:
                    acc.titles[tkey] = [1, played]
                else:
                    counts[0] += 1
                    counts[1] += played

    # What the loop kept per title is folded into per-commune, per-category and
    # per-document figures (hundreds of titles, not thousands of entries).
    sessions_of: dict[str, list[int]] = {c.key: [] for c in communes}
    for _, sessions, commune_key in slots.values():
        sessions_of[commune_key].extend(sessions.values())
    categories: dict[str, list[Any]] = {}
    documents: dict[str, list[Any]] = {}
    all_titles: set[str] = set()
    totals = []
    for commune in communes:
        acc = accs[commune.key]
        flags = sessions_of[commune.key]
        held = sum(1 for f in flags if f & _AIRED_FLAG)
        missed = sum(1 for f in flags if f == _MISSED_FLAG)
        titles = set()
        for (category, document, title), (n, ms) in acc.titles.items():
            titles.add(title)
            for table, group in ((categories, category), (documents, document)):
                total = table.get(group)
                if total is None:
                    total = table[group] = [0, set(), set(), 0]
                total[0] += n
                total[1].add(title)
                total[2].add(commune.key)
                total[3] += ms
        all_titles |= titles
        totals.append(CommuneTotal(
            commune=commune, entries=acc.entries, sessions_total=len(flags),
            sessions_held=held, sessions_missed=missed,
            sessions_failed=len(flags) - held - missed, airtime_ms=acc.airtime,
            bulletins_aired=sum(n for n, _ in acc.titles.values()), titles_aired=len(titles),
            emergencies_aired=acc.emergencies, failures=acc.failures,
            first_entry=_utc(acc.first), last_entry=_utc(acc.last),
            latest_received=None if acc.entries else _latest(connection, commune)))
    names = {c.key: c.name for c in communes}

    def grouped(table: dict[str, list[Any]]) -> tuple[CentreGroupTotal, ...]:
        ordered = sorted(table.items(), key=lambda item: (-item[1][0], item[0]))
        return tuple(CentreGroupTotal(key, n, len(titles), len(where), ms)
                     for key, (n, titles, where, ms) in ordered)

    emergencies.sort(key=lambda e: (e[0], names[commune_of[e[1]].key]))
    sums = CommuneTotal(
        commune=CentreCommune("", "Tổng cộng", "", (), datetime.min.replace(tzinfo=UTC)),
        entries=sum(t.entries for t in totals),
        sessions_total=sum(t.sessions_total for t in totals),
        sessions_held=sum(t.sessions_held for t in totals),
        sessions_missed=sum(t.sessions_missed for t in totals),
        sessions_failed=sum(t.sessions_failed for t in totals),
        airtime_ms=sum(t.airtime_ms for t in totals),
        bulletins_aired=sum(t.bulletins_aired for t in totals), titles_aired=len(all_titles),
        emergencies_aired=sum(t.emergencies_aired for t in totals),
        failures=sum(t.failures for t in totals),
        first_entry=min((t.first_entry for t in totals if t.first_entry), default=None),
        last_entry=max((t.last_entry for t in totals if t.last_entry), default=None))
    return CentreReportData(
        first=first, last=last, communes=tuple(totals), totals=sums,
        by_category=grouped(categories), by_document=grouped(documents),
        failures=tuple(CentreFailure(names[key], status, reason, n)
                       for (key, status, reason), n in sorted(
                           failures.items(), key=lambda item: (
                               names[item[0][0]].casefold(), -item[1], item[0][1:]))),
        emergencies=tuple(CentreEmergency(when, names[commune_of[station].key], title,
                                          status, played, who)
                          for when, station, title, status, played, who
                          in emergencies[:EMERGENCY_LIST_LIMIT]),
        emergencies_listed_all=len(emergencies) <= EMERGENCY_LIST_LIMIT,
        corrections_applied=replaced)


def _latest(connection: Connection, commune: CentreCommune) -> datetime | None:
    """The scheduled time of the newest entry (highest seq) the commune ever sent: where a
    silent commune's log stops. One index seek per station."""
    found: Iterable[Any] = (
        connection.execute(select(_T.c.scheduled_at).where(_T.c.station_id == station)
                           .order_by(_T.c.seq.desc()).limit(1)).scalar()
        for station in commune.station_ids)
    times = [_utc(t) for t in found if t is not None]
    return max(times, default=None)


def _utc(moment: Any) -> Any:
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
