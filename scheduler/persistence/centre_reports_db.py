"""The centre's consolidated report: the entries the communes sent (``centre_log_entry``),
totalled per commune and across communes for a period. Same code on SQLite and PostgreSQL.

One streamed scan of the period (the index on ``scheduled_at``) folded here: per commune,
per session, per category and document. A correction replaces the entry it corrects (the
latest correction of an entry counts, docs/log-format.md); corrections are found first by
a small query on their own partial index (migration 0007)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String, and_, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError

from media.errors import LoaxaError
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
from scheduler.reports.records import AIRED_STATUSES, FAILURE_STATUSES
from scheduler.timeutil import local_day_range

EMERGENCY_LIST_LIMIT = 200
_T = CentreLogEntryRow.__table__
_S = CentreStationRow.__table__
_AIRED = frozenset(AIRED_STATUSES)
_FAILURE = frozenset(FAILURE_STATUSES)
_NOT_ON_AIR = frozenset({"failed", "missed", "skipped"})


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
                       communes: Sequence[CentreCommune]) -> CentreReportData:
    """The figures of local days ``first`` … ``last`` for ``communes`` (all registered
    ones, or a selection of them)."""
    start, end = local_day_range(first, last)
    try:
        with db.engine.connect() as connection:
            return _report(connection, first, last, start, end, communes,
                           everyone=len(communes) == len(centre_communes(db)))
    except (OperationalError, ProgrammingError) as exc:
        raise _failing(db, exc) from None


class _Acc:
    """One commune's running totals."""

    __slots__ = ("airtime", "bulletins", "emergencies", "entries", "failures", "first",
                 "last", "sessions", "titles")

    def __init__(self) -> None:
        self.entries = self.airtime = self.bulletins = self.emergencies = self.failures = 0
        self.titles: set[str] = set()
        self.sessions: dict[Any, list[bool]] = {}  # key → [aired, missed]
        self.first: Any = None  # the scheduled times as the driver gives them
        self.last: Any = None


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
            communes: Sequence[CentreCommune], everyone: bool) -> CentreReportData:
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
    acc_of = {station: accs[c.key] for station, c in commune_of.items()}
    categories: dict[str, list[Any]] = {}
    documents: dict[str, list[Any]] = {}
    failures: dict[tuple[str, str, str], int] = {}
    emergencies: list[tuple[datetime, str, str, str, int, str]] = []
    all_titles: set[str] = set()
    replaced = 0
    result = connection.execution_options(yield_per=5000).execute(query)
    for rows in result.partitions():
        for (station, seq, when, status, reason, kind, level, category, document, title,
             played, session_key, session_id, who) in rows:
            acc = acc_of.get(station)
            if acc is None:
                continue  # a station not asked for
            if gone and (station, seq) in gone:
                replaced += 1
                continue
            acc.entries += 1
            if acc.first is None or when < acc.first:
                acc.first = when
            if acc.last is None or when > acc.last:
                acc.last = when
            aired = status in _AIRED
            # Airtime of what reached the loudspeakers, whole, in part or until interrupted;
            # a correction to failed, missed or skipped keeps the seconds of the entry it
            # corrects, which then did not go on air.
            played = played or 0
            if status not in _NOT_ON_AIR:
                acc.airtime += played
            # A session is one occurrence of one station: its key when the engine recorded
            # one, else its id; an entry with neither (an emergency outside any session)
            # stands alone. A commune with two keys has two stations' sessions.
            key = (station, session_key or (f"id:{session_id}" if session_id is not None
                                            else f"seq:{seq}"))
            flags = acc.sessions.get(key)
            if flags is None:
                acc.sessions[key] = [aired, status == "missed"]
            else:
                flags[0] = flags[0] or aired
                flags[1] = flags[1] or status == "missed"
            if status in _FAILURE:
                acc.failures += 1
                fkey = (commune_of[station].key, status, reason or "")
                failures[fkey] = failures.get(fkey, 0) + 1
            if level == "emergency":
                emergencies.append((_utc(when), station, title, status, played, who or ""))
            if not aired:
                continue
            if level == "emergency":
                acc.emergencies += 1
            if kind != "bulletin":
                continue
            acc.bulletins += 1
            acc.titles.add(title)
            all_titles.add(title)
            for table, group in ((categories, category or ""), (documents, document or "")):
                total = table.get(group)
                if total is None:
                    total = table[group] = [0, set(), set(), 0]
                total[0] += 1
                total[1].add(title)
                total[2].add(acc)
                total[3] += played

    totals = []
    for commune in communes:
        acc = accs[commune.key]
        held = sum(1 for aired, _ in acc.sessions.values() if aired)
        missed = sum(1 for aired, was_missed in acc.sessions.values()
                     if not aired and was_missed)
        totals.append(CommuneTotal(
            commune=commune, entries=acc.entries, sessions_total=len(acc.sessions),
            sessions_held=held, sessions_missed=missed,
            sessions_failed=len(acc.sessions) - held - missed, airtime_ms=acc.airtime,
            bulletins_aired=acc.bulletins, titles_aired=len(acc.titles),
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
