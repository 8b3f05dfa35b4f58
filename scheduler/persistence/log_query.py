"""The broadcast log as the window browses it: filtered counts and pages fetched newest first
by keyset (never the whole table), the distinct categories, the corrections of an entry, and
the chain head the sealing transactions keep. Functions take the open :class:`Database`."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from media.errors import LoaxaError
from scheduler.logbook.chain import ENTRY_FIELDS, format_time
from scheduler.persistence.db import Database, _entry
from scheduler.persistence.models import ChainHeadRow, LogEntryRow
from scheduler.records import LogEntry

FOLD_FUNCTION = "loaxa_fold"


@dataclass(frozen=True)
class LogFilter:
    """What the operator filters the log by. Times are aware UTC, ``start`` inclusive and
    ``end`` exclusive (a range of local days: ``scheduler.timeutil.local_day_range``); empty
    tuples mean "any"; ``title`` is a case-insensitive part of the bulletin title."""

    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    title: str = ""


# A page key: (scheduled_at, id) of the last entry of the previous page.
PageKey = tuple[datetime, int]


def fold(text: str) -> str:
    """Case- and form-insensitive text for the title search (Vietnamese letters included:
    SQLite's own lower() folds ASCII only)."""
    return unicodedata.normalize("NFC", text).lower()


# Upper-case Latin letters with their lower case, Vietnamese ones included: PostgreSQL's
# lower() folds only ASCII under a "C" locale, so they are translated explicitly.
_PAIRS = [(c, c.lower()) for c in map(chr, range(0xC0, 0x1F00))
          if c.isupper() and len(c.lower()) == 1 and c.lower() != c
          and unicodedata.name(c, "").startswith("LATIN")]
_UPPER = "".join(upper for upper, _ in _PAIRS)
_LOWER = "".join(lower for _, lower in _PAIRS)


def _fold_sql(value: Any) -> str | None:
    return None if value is None else fold(str(value))


def _prepare(s: Session, db: Database) -> None:
    """SQLite: the fold function on this connection (cheap; PostgreSQL's lower() is
    Unicode-aware and is used there instead)."""
    if db.is_sqlite:
        raw = s.connection().connection.driver_connection
        raw.create_function(FOLD_FUNCTION, 1, _fold_sql, deterministic=True)


def _where(query: Select, db: Database, flt: LogFilter) -> Select:
    t = LogEntryRow
    if flt.start is not None:
        query = query.where(t.scheduled_at >= flt.start)
    if flt.end is not None:
        query = query.where(t.scheduled_at < flt.end)
    if flt.statuses:
        query = query.where(t.status.in_(flt.statuses))
    if flt.levels:
        query = query.where(t.level.in_(flt.levels))
    if flt.categories:
        query = query.where(t.category.in_(flt.categories))
    needle = fold(flt.title.strip())
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        folded = (getattr(func, FOLD_FUNCTION)(t.bulletin_title) if db.is_sqlite
                  else func.translate(func.lower(t.bulletin_title), _UPPER, _LOWER))
        query = query.where(folded.like(f"%{escaped}%", escape="\\"))
    return query


def _run(db: Database, work: Any) -> Any:
    try:
        with db._tx() as s:
            _prepare(s, db)
            return work(s)
    except OperationalError as exc:
        raise LoaxaError("db_unavailable", url=db.safe_url, reason=str(exc.orig)) from None


def count_log_entries(db: Database, flt: LogFilter) -> int:
    """How many entries the filter selects."""
    query = _where(select(func.count()).select_from(LogEntryRow), db, flt)
    return int(_run(db, lambda s: s.scalar(query)))


def log_page(db: Database, flt: LogFilter, after: PageKey | None = None,
             limit: int = 200) -> list[LogEntry]:
    """Up to ``limit`` entries the filter selects, newest scheduled first (then newest id),
    starting after the page key ``after`` (the last entry of the previous page)."""
    t = LogEntryRow
    query = _where(select(t), db, flt)
    if after is not None:
        when, ident = after
        query = query.where(or_(t.scheduled_at < when,
                                and_(t.scheduled_at == when, t.id < ident)))
    query = query.order_by(t.scheduled_at.desc(), t.id.desc()).limit(limit)
    return _run(db, lambda s: [_entry(r) for r in s.scalars(query)])


def log_categories(db: Database) -> list[str]:
    """The categories found in the log, for the filter's list."""
    query = (select(LogEntryRow.category).where(LogEntryRow.category != "")
             .group_by(LogEntryRow.category).order_by(LogEntryRow.category))
    return _run(db, lambda s: list(s.scalars(query)))


def corrections_of(db: Database, seq: int) -> list[LogEntry]:
    """The sealed entries that correct the entry ``seq``, in seq order."""
    query = (select(LogEntryRow).where(LogEntryRow.corrects_seq == seq)
             .order_by(LogEntryRow.seq))
    return _run(db, lambda s: [_entry(r) for r in s.scalars(query)])


def entry_by_seq(db: Database, seq: int) -> LogEntry | None:
    query = select(LogEntryRow).where(LogEntryRow.seq == seq)
    return _run(db, lambda s: next((_entry(r) for r in s.scalars(query)), None))


def iter_chain_fields(db: Database, first_seq: int, last_seq: int, batch: int = 5000
                      ) -> Iterator[dict[str, Any]]:
    """The canonical fields (``scheduler.logbook.chain.entry_fields``) of the sealed entries
    ``first_seq`` … ``last_seq`` in seq order, read in batches without ORM objects (the
    chain check of a large log)."""
    columns = [LogEntryRow.__table__.c[name] for name in ENTRY_FIELDS]
    times = [name for name, kind in ENTRY_FIELDS.items() if kind.startswith("time")]
    next_seq = first_seq
    while next_seq <= last_seq:
        query = (select(*columns).where(LogEntryRow.seq >= next_seq)
                 .where(LogEntryRow.seq <= last_seq).order_by(LogEntryRow.seq).limit(batch))
        rows = _run(db, lambda s, q=query: [dict(r) for r in s.execute(q).mappings()])
        for row in rows:
            for name in times:
                row[name] = format_time(row[name])
            yield _canonical_types(row)
        if len(rows) < batch:
            return
        next_seq = rows[-1]["seq"] + 1


def _canonical_types(row: dict[str, Any]) -> dict[str, Any]:
    """Strings for NULL text columns, as ``entry_fields`` gives them."""
    for name, kind in ENTRY_FIELDS.items():
        value = row[name]
        if kind in ("str", "hex64", "id16", "status") and value is None:
            row[name] = ""
    return row


def recorded_chain_head(db: Database) -> int:
    """The newest seq as the sealing transactions recorded it (``log_chain_head``): a chain
    shorter than this lost entries at its end."""
    query = select(ChainHeadRow.last_seq).where(ChainHeadRow.id == 1)
    return int(_run(db, lambda s: s.scalar(query)) or 0)

