"""Database access: engine set-up, migrations at start, and the queries LoaXa needs.

Everything returns plain records (scheduler.records); no SQLAlchemy object leaves this module.
Each write is its own transaction, committed at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, func, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from media.errors import LoaxaError
from scheduler.persistence.models import (
    AudioAssetRow,
    BulletinRow,
    LogEntryRow,
    SessionItemRow,
    SessionRow,
    StationRow,
)
from scheduler.persistence.schedule_db import ScheduleStore, _item_row_fields, _set_run_state
from scheduler.records import (
    AudioAsset,
    BroadcastSession,
    Bulletin,
    Level,
    LogEntry,
    LogStatus,
    SessionItem,
    SessionState,
    Station,
)
from scheduler.schedule import ItemSpec
from scheduler.timeutil import utc_now

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _asset(row: AudioAssetRow | None) -> AudioAsset | None:
    if row is None:
        return None
    return AudioAsset(row.id, row.sha256, row.rel_path, row.duration_ms, row.origin,
                      row.engine, row.voice)


def _bulletin(row: BulletinRow) -> Bulletin:
    return Bulletin(row.id, row.title, row.body, Level(row.level), row.source_name,
                    row.created_at, _asset(row.audio), row.audio_source_sha256,
                    category=row.category, document_ref=row.document_ref,
                    issuing_body=row.issuing_body, valid_from=row.valid_from,
                    valid_until=row.valid_until, priority_rank=row.priority_rank)


def _session(row: SessionRow) -> BroadcastSession:
    items = tuple(
        SessionItem(i.id, i.position, i.bulletin_id, i.bulletin.title if i.bulletin else "")
        for i in row.items)
    return BroadcastSession(row.id, row.scheduled_at, row.title, SessionState(row.state), items)


def _entry(row: LogEntryRow) -> LogEntry:
    return LogEntry(row.id, row.session_id, row.session_item_id, row.bulletin_id,
                    row.bulletin_title, row.scheduled_at, row.started_at, row.ended_at,
                    LogStatus(row.status), row.reason, row.audio_sha256, row.played_ms,
                    row.output_device, session_key=row.session_key,
                    item_position=row.item_position, item_kind=row.item_kind, level=row.level,
                    category=row.category, document_ref=row.document_ref,
                    triggered_by=row.triggered_by, note=row.note, seq=row.seq,
                    station_id=row.station_id, prev_hash=row.prev_hash,
                    entry_hash=row.entry_hash, corrects_seq=row.corrects_seq,
                    sealed_at=row.sealed_at)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: LoaXa stores aware UTC times only")


class Database(ScheduleStore):
    def __init__(self, url: str) -> None:
        self.url = url
        try:
            parsed = make_url(url)
        except Exception:
            raise LoaxaError("db_bad_url", url=url) from None
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LoaxaError("db_unavailable", url=url, reason=exc.strerror or str(exc)) \
                    from None
        try:
            self.engine: Engine = create_engine(url, future=True)
        except (SQLAlchemyError, ImportError) as exc:
            raise LoaxaError("db_unavailable", url=parsed.render_as_string(),
                             reason=str(exc)) from None
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- set-up -------------------------------------------------------------------------
    def upgrade(self) -> None:
        """Bring the schema to the newest migration (run at every start)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        for attempt in range(3):
            try:
                with self.engine.begin() as connection:
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                return
            except OperationalError as exc:
                # Two processes starting on a fresh database at once: the loser retries.
                if attempt == 2:
                    raise LoaxaError("db_unavailable", url=self.safe_url,
                                     reason=str(exc.orig)) from None
                log.warning("database upgrade retry after: %s", exc)
                time.sleep(0.5 * (attempt + 1))

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            from alembic.runtime.migration import MigrationContext

            return MigrationContext.configure(connection).get_current_revision()

    @property
    def safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as exc:
            raise LoaxaError("db_unavailable", url=self.safe_url, reason=str(exc.orig)) \
                from None

    # -- station --------------------------------------------------------------------------
    def get_station(self) -> Station:
        with self._tx() as s:
            row = s.get(StationRow, 1)
            if row is None:
                return Station("", "", "")
            return Station(row.commune_name, row.admin_code, row.centre_name)

    def set_station(self, *, commune_name: str | None = None, admin_code: str | None = None,
                    centre_name: str | None = None) -> Station:
        with self._tx() as s:
            row = s.get(StationRow, 1)
            if row is None:
                row = StationRow(id=1)
                s.add(row)
            if commune_name is not None:
                row.commune_name = commune_name.strip()
            if admin_code is not None:
                row.admin_code = admin_code.strip()
            if centre_name is not None:
                row.centre_name = centre_name.strip()
            s.flush()
            return Station(row.commune_name, row.admin_code, row.centre_name)

    # -- bulletins and audio ----------------------------------------------------------
    def add_bulletin(self, title: str, body: str, *, source_name: str = "",
                     level: Level = Level.NORMAL, category: str = "", document_ref: str = "",
                     issuing_body: str = "", valid_from: date | None = None,
                     valid_until: date | None = None) -> int:
        with self._tx() as s:
            row = BulletinRow(title=title.strip()[:300], body=body, source_name=source_name,
                              level=Level(level).value, category=category.strip()[:100],
                              document_ref=document_ref.strip()[:100],
                              issuing_body=issuing_body.strip()[:200], valid_from=valid_from,
                              valid_until=valid_until)
            s.add(row)
            s.flush()
            return row.id

    def update_bulletin(self, bulletin_id: int, **fields: object) -> None:
        """Changes a bulletin's title, level, priority order or metadata (only those given).
        The text is not changed here: a new text is a new bulletin."""
        allowed = {"title": 300, "level": 12, "category": 100, "document_ref": 100,
                   "issuing_body": 200, "valid_from": None, "valid_until": None,
                   "priority_rank": None}
        with self._tx() as s:
            row = s.get(BulletinRow, bulletin_id)
            if row is None:
                raise LoaxaError("bulletin_not_found", id=bulletin_id)
            for name, value in fields.items():
                if name not in allowed:
                    raise ValueError(f"not a bulletin field: {name}")
                if name == "level":
                    value = Level(value).value
                limit = allowed[name]
                if limit is not None and isinstance(value, str):
                    value = value.strip()[:limit]
                setattr(row, name, value)
            if row.valid_from and row.valid_until and row.valid_until < row.valid_from:
                raise LoaxaError("bad_range", start=row.valid_from.isoformat(),
                                 end=row.valid_until.isoformat())

    def get_bulletin(self, bulletin_id: int) -> Bulletin:
        with self._tx() as s:
            row = s.get(BulletinRow, bulletin_id)
            if row is None:
                raise LoaxaError("bulletin_not_found", id=bulletin_id)
            return _bulletin(row)

    def list_bulletins(self) -> list[Bulletin]:
        with self._tx() as s:
            rows = s.scalars(select(BulletinRow).order_by(BulletinRow.id.desc())).unique()
            return [_bulletin(r) for r in rows]

    def count_bulletins(self) -> int:
        with self._tx() as s:
            return s.scalar(select(func.count()).select_from(BulletinRow)) or 0

    def attach_audio(self, bulletin_id: int, *, sha256: str, rel_path: str, duration_ms: int,
                     origin: str, engine: str, voice: str, source_sha256: str) -> AudioAsset:
        with self._tx() as s:
            bulletin = s.get(BulletinRow, bulletin_id)
            if bulletin is None:
                raise LoaxaError("bulletin_not_found", id=bulletin_id)
            asset = s.scalar(select(AudioAssetRow).where(AudioAssetRow.sha256 == sha256))
            if asset is None:
                asset = AudioAssetRow(sha256=sha256, rel_path=rel_path, duration_ms=duration_ms,
                                      origin=origin, engine=engine, voice=voice)
                s.add(asset)
                s.flush()
            bulletin.audio_asset_id = asset.id
            bulletin.audio_source_sha256 = source_sha256
            s.flush()
            return _asset(asset)  # type: ignore[return-value]

    # -- sessions ---------------------------------------------------------------------
    def add_session(self, scheduled_at: datetime, bulletin_ids: Sequence[int] = (),
                    title: str = "", *, items: Sequence[ItemSpec] | None = None,
                    length_s: int = 0) -> int:
        """A one-off session: bulletins in order, or any items (jingle, audio, relay)."""
        _require_aware(scheduled_at)
        specs = list(items) if items is not None else [ItemSpec.bulletin(b)
                                                         for b in bulletin_ids]
        if not specs:
            raise LoaxaError("session_empty")
        if length_s < 0 or length_s > 24 * 3600:
            raise LoaxaError("schedule_bad_length", seconds=length_s)
        with self._tx() as s:
            self._check_items(s, specs)
            row = SessionRow(scheduled_at=scheduled_at, title=title.strip()[:200],
                             planned_length_s=length_s)
            row.items = [SessionItemRow(position=n, **_item_row_fields(spec))
                         for n, spec in enumerate(specs)]
            s.add(row)
            s.flush()
            return row.id

    def cancel_session(self, session_id: int) -> None:
        with self._tx() as s:
            row = s.get(SessionRow, session_id)
            if row is None:
                raise LoaxaError("session_not_found", id=session_id)
            if row.state == SessionState.SCHEDULED.value:
                row.state = SessionState.CANCELLED.value

    def get_session(self, session_id: int) -> BroadcastSession:
        with self._tx() as s:
            row = s.get(SessionRow, session_id)
            if row is None:
                raise LoaxaError("session_not_found", id=session_id)
            return _session(row)

    def list_sessions(self, since: datetime | None = None) -> list[BroadcastSession]:
        with self._tx() as s:
            query = select(SessionRow).order_by(SessionRow.scheduled_at.desc())
            if since is not None:
                query = query.where(SessionRow.scheduled_at >= since)
            return [_session(r) for r in s.scalars(query)]

    def due_sessions(self, until: datetime) -> list[BroadcastSession]:
        """Sessions still to be played (or resumed) whose start is at or before ``until``."""
        with self._tx() as s:
            query = (select(SessionRow)
                     .where(SessionRow.state.in_([SessionState.SCHEDULED.value,
                                                  SessionState.ON_AIR.value]))
                     .where(SessionRow.scheduled_at <= until)
                     .order_by(SessionRow.scheduled_at, SessionRow.id))
            return [_session(r) for r in s.scalars(query)]

    def next_session_start(self, after: datetime) -> datetime | None:
        with self._tx() as s:
            return s.scalar(select(func.min(SessionRow.scheduled_at))
                            .where(SessionRow.state == SessionState.SCHEDULED.value)
                            .where(SessionRow.scheduled_at > after))

    def oldest_pending_session(self) -> datetime | None:
        """The start of the oldest one-off not yet played or finished."""
        with self._tx() as s:
            return s.scalar(select(func.min(SessionRow.scheduled_at))
                            .where(SessionRow.state.in_([SessionState.SCHEDULED.value,
                                                         SessionState.ON_AIR.value])))

    def set_session_state(self, session_id: int, state: SessionState) -> None:
        with self._tx() as s:
            s.execute(update(SessionRow).where(SessionRow.id == session_id)
                      .values(state=state.value, updated_at=utc_now()))

    # -- broadcast log ----------------------------------------------------------------
    def add_log_entry(self, *, scheduled_at: datetime, status: LogStatus,
                      session_id: int | None = None, session_item_id: int | None = None,
                      bulletin_id: int | None = None, bulletin_title: str = "",
                      started_at: datetime | None = None, ended_at: datetime | None = None,
                      reason: str = "", audio_sha256: str = "", played_ms: int = 0,
                      output_device: str = "", session_state: SessionState | None = None,
                      session_key: str = "", item_position: int | None = None,
                      item_kind: str = "bulletin", level: str = "", category: str = "",
                      document_ref: str = "", triggered_by: str = "", note: str = "",
                      run_state: str | None = None) -> int:
        """Append a log entry; in the same commit, set its session's state (one-offs) or
        its occurrence's run state (``run_state`` for ``session_key``)."""
        _require_aware(scheduled_at)
        with self._tx() as s:
            if session_state is not None and session_id is not None:
                s.execute(update(SessionRow).where(SessionRow.id == session_id)
                          .values(state=session_state.value, updated_at=utc_now()))
            if run_state is not None and session_key:
                _set_run_state(s, session_key, scheduled_at, run_state)
            row = LogEntryRow(scheduled_at=scheduled_at, status=LogStatus(status).value,
                              session_id=session_id, session_item_id=session_item_id,
                              bulletin_id=bulletin_id, bulletin_title=bulletin_title,
                              started_at=started_at, ended_at=ended_at, reason=reason,
                              audio_sha256=audio_sha256, played_ms=played_ms,
                              output_device=output_device, session_key=session_key,
                              item_position=item_position, item_kind=item_kind,
                              level=level, category=category[:100],
                              document_ref=document_ref[:100],
                              triggered_by=triggered_by[:100], note=note)
            s.add(row)
            s.flush()
            return row.id

    def finish_log_entry(self, entry_id: int, *, status: LogStatus, ended_at: datetime,
                         played_ms: int, reason: str = "") -> None:
        with self._tx() as s:
            row = s.get(LogEntryRow, entry_id)
            if row is None:
                raise LoaxaError("log_entry_not_found", id=entry_id)
            row.status = LogStatus(status).value
            row.ended_at = ended_at
            row.played_ms = played_ms
            row.reason = reason

    def close_unfinished_entries(self, reason: str) -> list[LogEntry]:
        """Entries left 'playing' by a process that died: they become 'interrupted'."""
        with self._tx() as s:
            rows = list(s.scalars(select(LogEntryRow)
                                  .where(LogEntryRow.status == LogStatus.PLAYING.value)))
            for row in rows:
                row.status = LogStatus.INTERRUPTED.value
                row.reason = reason
            s.flush()
            return [_entry(r) for r in rows]

    def played_positions(self, session_key: str) -> set[int]:
        """Item positions of an occurrence that were played to the end (never again)."""
        with self._tx() as s:
            rows = s.scalars(select(LogEntryRow.item_position)
                             .where(LogEntryRow.session_key == session_key)
                             .where(LogEntryRow.status == LogStatus.PLAYED.value))
            return {p for p in rows if p is not None}

    def session_log(self, session_id: int) -> list[LogEntry]:
        with self._tx() as s:
            rows = s.scalars(select(LogEntryRow).where(LogEntryRow.session_id == session_id)
                             .order_by(LogEntryRow.id))
            return [_entry(r) for r in rows]

    def log_entries(self, start: datetime | None = None, end: datetime | None = None,
                    limit: int | None = None) -> list[LogEntry]:
        """Entries whose scheduled time is in [start, end), newest last (or the newest
        ``limit`` when given)."""
        with self._tx() as s:
            query = select(LogEntryRow)
            if start is not None:
                query = query.where(LogEntryRow.scheduled_at >= start)
            if end is not None:
                query = query.where(LogEntryRow.scheduled_at < end)
            if limit is not None:
                query = query.order_by(LogEntryRow.id.desc()).limit(limit)
                return [_entry(r) for r in reversed(list(s.scalars(query)))]
            query = query.order_by(LogEntryRow.scheduled_at, LogEntryRow.id)
            return [_entry(r) for r in s.scalars(query)]

    def iter_log_entries(self, start: datetime, end: datetime,
                         batch: int = 2000) -> Iterable[LogEntry]:
        """Like :meth:`log_entries` but streamed in batches, for exports of any size."""
        last_key: tuple[datetime, int] | None = None
        while True:
            with self._tx() as s:
                query = (select(LogEntryRow)
                         .where(LogEntryRow.scheduled_at >= start)
                         .where(LogEntryRow.scheduled_at < end))
                if last_key is not None:
                    when, ident = last_key
                    query = query.where(
                        (LogEntryRow.scheduled_at > when)
                        | ((LogEntryRow.scheduled_at == when) & (LogEntryRow.id > ident)))
                query = query.order_by(LogEntryRow.scheduled_at, LogEntryRow.id).limit(batch)
                rows = [_entry(r) for r in s.scalars(query)]
            yield from rows
            if len(rows) < batch:
                return
            last_key = (rows[-1].scheduled_at, rows[-1].id)

    # -- change detection for the window ------------------------------------------------
    def revision(self) -> tuple[Any, ...]:
        """A cheap value that changes whenever any process writes something shown."""
        with self._tx() as s:
            parts: list[Any] = []
            for table in (BulletinRow, SessionRow, LogEntryRow):
                parts.extend(s.execute(select(func.count(), func.max(table.updated_at))
                                       .select_from(table)).one())
        return (*parts, *self.schedule_revision())
