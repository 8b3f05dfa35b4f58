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

from sqlalchemy import create_engine, event, func, insert, inspect, select, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from media.errors import LoaxaError
from scheduler.logbook.chain import (
    ENTRY_FIELDS,
    GENESIS_HASH,
    entry_fields,
    entry_hash,
    parse_time,
    station_id_from_public_key,
)
from scheduler.logbook.records import CentreStation
from scheduler.persistence.models import (
    AudioAssetRow,
    BulletinRow,
    CentreLogEntryRow,
    CentreStationRow,
    ChainHeadRow,
    LogEntryRow,
    SessionItemRow,
    SessionRow,
    StationRow,
)
from scheduler.persistence.people_db import PeopleStore, is_approved
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
REVISION_TAIL = 500  # newest log entries looked at by revision()
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
                    valid_until=row.valid_until, priority_rank=row.priority_rank,
                    approved_by=row.approved_by, approved_at=row.approved_at,
                    approved=is_approved(row))


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


def migration_heads(folder: Path | None = None) -> list[str]:
    """The head revisions of the migration scripts, read from their ``revision`` and
    ``down_revision`` assignments without importing Alembic."""
    import ast

    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted((folder or MIGRATIONS_DIR / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.Assign | ast.AnnAssign)
                    and isinstance(target := (node.targets[0] if isinstance(node, ast.Assign)
                                              else node.target), ast.Name)
                    and target.id in ("revision", "down_revision") and node.value is not None):
                try:
                    values[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    return []  # not a plain value: let Alembic decide
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            continue
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else list(down or ()))
    return sorted(revisions - parents)


class Database(ScheduleStore, PeopleStore):
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
        self._install_people_hooks()  # audit trail and role checks (people_db.py)

    # -- set-up -------------------------------------------------------------------------
    def upgrade(self) -> None:
        """Bring the schema to the newest migration (run at every start)."""
        if self._at_head():
            return  # nothing to do: Alembic (0.3–1 s to import) is not even loaded
        from alembic import command
        from alembic.config import Config

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

    def _at_head(self) -> bool:
        """True when the database records exactly the newest migration of the scripts."""
        heads = migration_heads()
        if len(heads) != 1:
            return False
        try:
            with self.engine.connect() as connection:
                if not inspect(connection).has_table("alembic_version"):
                    return False
                stored = connection.execute(text("SELECT version_num FROM alembic_version")
                                            ).scalars().all()
        except SQLAlchemyError:
            return False  # Alembic's own path reports the problem
        return stored == heads

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

    def bulletin_category_counts(self) -> dict[str, int]:
        """{category: how many bulletins carry it} (bulletins without one left out)."""
        with self._tx() as s:
            rows = s.execute(select(BulletinRow.category, func.count())
                             .where(BulletinRow.category != "")
                             .group_by(BulletinRow.category))
            return {category: count for category, count in rows if category}

    def rename_bulletin_category(self, old: str, new: str) -> int:
        """Every bulletin of category ``old`` gets ``new`` instead, all or none (each change
        in the audit trail as an edit of that bulletin); returns how many."""
        with self._tx() as s:
            rows = list(s.scalars(select(BulletinRow).where(BulletinRow.category == old)))
            for row in rows:
                row.category = new.strip()[:100]
            return len(rows)

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
        """Append a log entry; in the same commit, set its session's state (one-offs) or its
        occurrence's run state (``run_state`` for ``session_key``). An entry with a final
        status is sealed into the chain in that same commit."""
        _require_aware(scheduled_at)
        status = LogStatus(status)
        final = status is not LogStatus.PLAYING
        with self._tx() as s:
            if final:
                self._lock_chain(s)
            if session_state is not None and session_id is not None:
                s.execute(update(SessionRow).where(SessionRow.id == session_id)
                          .values(state=session_state.value, updated_at=utc_now()))
            if run_state is not None and session_key:
                _set_run_state(s, session_key, scheduled_at, run_state)
            row = LogEntryRow(scheduled_at=scheduled_at, status=status.value,
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
            if final:
                self._seal_pending(s)
            return row.id

    def finish_log_entry(self, entry_id: int, *, status: LogStatus, ended_at: datetime,
                         played_ms: int, reason: str = "", note: str | None = None) -> None:
        """Completes a 'playing' entry; with a final status it is sealed in the same commit
        and never changes again (a sealed entry gives ``log_entry_sealed``)."""
        status = LogStatus(status)
        with self._tx() as s:
            self._lock_chain(s)
            row = s.get(LogEntryRow, entry_id)
            if row is None:
                raise LoaxaError("log_entry_not_found", id=entry_id)
            if row.seq is not None:
                raise LoaxaError("log_entry_sealed", id=entry_id, seq=row.seq)
            row.status = status.value
            row.ended_at = ended_at
            row.played_ms = played_ms
            row.reason = reason
            if note is not None:
                row.note = note
            s.flush()
            if status is not LogStatus.PLAYING:
                self._seal_pending(s)

    def close_unfinished_entries(self, reason: str) -> list[LogEntry]:
        """Entries left 'playing' by a process that died: they become 'interrupted' (sealed)."""
        with self._tx() as s:
            self._lock_chain(s)
            rows = list(s.scalars(select(LogEntryRow)
                                  .where(LogEntryRow.status == LogStatus.PLAYING.value)
                                  .order_by(LogEntryRow.id)))
            for row in rows:
                row.status = LogStatus.INTERRUPTED.value
                row.reason = reason
            s.flush()
            if rows:
                self._seal_pending(s)
            return [_entry(r) for r in rows]

    def played_positions(self, session_key: str) -> set[int]:
        """Item positions of an occurrence that were played to the end (never again)."""
        with self._tx() as s:
            rows = s.scalars(select(LogEntryRow.item_position)
                             .where(LogEntryRow.session_key == session_key)
                             .where(LogEntryRow.status == LogStatus.PLAYED.value))
            return {p for p in rows if p is not None}

    def add_correction(self, corrects_seq: int, status: LogStatus, note: str, by: str = ""
                       ) -> LogEntry:
        """Appends a sealed entry that corrects the sealed entry ``corrects_seq``: it repeats
        what was aired (bulletin, session, scheduled and actual times) with the corrected
        status, the note and who corrected it (``triggered_by``), so it falls on the same days
        in reports and packages. The corrected entry itself never changes."""
        status = LogStatus(status)
        if status is LogStatus.PLAYING:
            raise LoaxaError("log_correction_status", status=status.value)
        if not note.strip():
            raise LoaxaError("log_correction_note")
        with self._tx() as s:
            self._lock_chain(s)
            if not self._station_public_key(s):
                raise LoaxaError("station_key_unset")
            old = s.scalar(select(LogEntryRow).where(LogEntryRow.seq == corrects_seq))
            if old is None:
                raise LoaxaError("log_seq_not_found", seq=corrects_seq)
            row = LogEntryRow(
                scheduled_at=old.scheduled_at, status=status.value,
                session_id=old.session_id,
                session_item_id=old.session_item_id, bulletin_id=old.bulletin_id,
                bulletin_title=old.bulletin_title, started_at=old.started_at,
                ended_at=old.ended_at, reason=old.reason, audio_sha256=old.audio_sha256,
                played_ms=old.played_ms, output_device=old.output_device,
                session_key=old.session_key, item_position=old.item_position,
                item_kind=old.item_kind, level=old.level, category=old.category,
                document_ref=old.document_ref, triggered_by=by.strip()[:100],
                note=note.strip(), corrects_seq=corrects_seq)
            s.add(row)
            s.flush()
            self._seal_pending(s)
            return _entry(row)

    # -- the chain ----------------------------------------------------------------------
    def _lock_chain(self, s: Session) -> None:
        """The first statement of every transaction that may seal: a write on the chain-head
        row. SQLite then holds the database's write lock (waiting up to the busy timeout)
        before the head is read; PostgreSQL holds the row lock until commit. So two writers
        never read the same head."""
        if self.is_sqlite:
            s.execute(update(ChainHeadRow).where(ChainHeadRow.id == 1)
                      .values(last_seq=ChainHeadRow.last_seq))
        else:
            s.execute(select(ChainHeadRow.id).where(ChainHeadRow.id == 1).with_for_update())

    @staticmethod
    def _station_public_key(s: Session) -> str:
        return s.scalar(select(StationRow.public_key).where(StationRow.id == 1)) or ""

    def _seal_pending(self, s: Session) -> int:
        """Seals, in id order, every entry with a final status that is not sealed yet (the
        one just completed; and, once after the station key is first set, those completed
        before). Without a station key nothing is sealed yet. The chain must be locked."""
        public_key = self._station_public_key(s)
        if not public_key:
            return 0
        rows = list(s.scalars(select(LogEntryRow)
                              .where(LogEntryRow.seq.is_(None))
                              .where(LogEntryRow.status != LogStatus.PLAYING.value)
                              .order_by(LogEntryRow.id)))
        if not rows:
            return 0
        station_id = station_id_from_public_key(public_key)
        head = s.execute(select(LogEntryRow.seq, LogEntryRow.entry_hash)
                         .where(LogEntryRow.seq.is_not(None))
                         .order_by(LogEntryRow.seq.desc()).limit(1)).first()
        seq, prev = (head[0], head[1]) if head is not None else (0, GENESIS_HASH)
        now = utc_now()
        for row in rows:
            seq += 1
            row.seq, row.station_id, row.prev_hash, row.sealed_at = seq, station_id, prev, now
            row.entry_hash = entry_hash(entry_fields(row))
            prev = row.entry_hash
        s.execute(update(ChainHeadRow).where(ChainHeadRow.id == 1).values(last_seq=seq))
        s.flush()
        return len(rows)

    def seal_pending(self) -> int:
        """Seals completed entries not sealed yet (see ``_seal_pending``); returns how many."""
        with self._tx() as s:
            self._lock_chain(s)
            return self._seal_pending(s)

    def station_public_key(self) -> str:
        with self._tx() as s:
            return self._station_public_key(s)

    def set_station_public_key(self, public_key_hex: str, *, replace: bool = False) -> str:
        """Records the station's public key when none is recorded (or, with ``replace``, the
        recovery path, a new one) and seals what was waiting for it. Returns the key now
        recorded: a different one means this key file does not belong to this database."""
        with self._tx() as s:
            self._lock_chain(s)
            row = s.get(StationRow, 1)
            if row is None:
                row = StationRow(id=1)
                s.add(row)
            if not row.public_key or replace:
                row.public_key = public_key_hex
            s.flush()
            recorded = row.public_key
            if recorded == public_key_hex:
                self._seal_pending(s)
            return recorded

    def chain_head(self) -> tuple[int, str]:
        """(last seq, its entry hash); (0, genesis) for an empty chain."""
        with self._tx() as s:
            head = s.execute(select(LogEntryRow.seq, LogEntryRow.entry_hash)
                             .where(LogEntryRow.seq.is_not(None))
                             .order_by(LogEntryRow.seq.desc()).limit(1)).first()
            return (head[0], head[1]) if head is not None else (0, GENESIS_HASH)

    def chain_span(self, start: datetime, end: datetime) -> tuple[int, int] | None:
        """Lowest and highest seq of the sealed entries scheduled in [start, end)."""
        with self._tx() as s:
            low, high = s.execute(select(func.min(LogEntryRow.seq), func.max(LogEntryRow.seq))
                                  .where(LogEntryRow.seq.is_not(None))
                                  .where(LogEntryRow.scheduled_at >= start)
                                  .where(LogEntryRow.scheduled_at < end)).one()
            return None if low is None else (low, high)

    def iter_chain(self, first_seq: int, last_seq: int, batch: int = 2000
                   ) -> Iterable[LogEntry]:
        """Sealed entries first_seq … last_seq in seq order, streamed in batches."""
        next_seq = first_seq
        while next_seq <= last_seq:
            with self._tx() as s:
                rows = [_entry(r) for r in s.scalars(
                    select(LogEntryRow).where(LogEntryRow.seq >= next_seq)
                    .where(LogEntryRow.seq <= last_seq).order_by(LogEntryRow.seq).limit(batch))]
            yield from rows
            if len(rows) < batch:
                return
            next_seq = rows[-1].seq + 1  # type: ignore[operator]

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
            for table in (BulletinRow, SessionRow):
                parts.extend(s.execute(select(func.count(), func.max(table.updated_at))
                                       .select_from(table)).one())
            # The log is append-only and only its newest entries change (playing → played,
            # sealing, closing after a crash): its last id and the newest change among the
            # last rows, by index, instead of scanning it all every second (60–100 ms on
            # 100,000 entries, on the window's thread).
            tail = (select(LogEntryRow.updated_at).order_by(LogEntryRow.id.desc())
                    .limit(REVISION_TAIL).subquery())
            parts.append(s.scalar(select(func.max(LogEntryRow.id))))
            parts.append(s.scalar(select(func.max(tail.c.updated_at))))
        return (*parts, *self.schedule_revision())

    # -- centre mode ----------------------------------------------------------------------
    @staticmethod
    def _centre_station(s: Session, row: CentreStationRow) -> CentreStation:
        count, last = s.execute(select(func.count(), func.max(CentreLogEntryRow.seq))
                                .where(CentreLogEntryRow.station_id == row.station_id)).one()
        contiguous = 0
        if count:
            # The highest n with every seq 1 … n present: seqs are unique, so it is the
            # largest seq whose count of seqs at or below it equals itself.
            low, high = 0, int(last)
            while low < high:
                mid = (low + high + 1) // 2
                have = s.scalar(select(func.count()).select_from(CentreLogEntryRow)
                                .where(CentreLogEntryRow.station_id == row.station_id)
                                .where(CentreLogEntryRow.seq <= mid))
                low, high = (mid, high) if have == mid else (low, mid - 1)
            contiguous = low
        return CentreStation(row.station_id, row.public_key, row.commune_name, row.admin_code,
                             row.registered_at, int(count), last, contiguous)

    def centre_register(self, public_key_hex: str, commune_name: str, admin_code: str = ""
                        ) -> CentreStation:
        """Registers (or renames) a commune station by its public key (an admin's change once
        the centre has users; audited)."""
        station_id = station_id_from_public_key(public_key_hex)
        with self._tx() as s:
            row = s.scalar(select(CentreStationRow)
                           .where(CentreStationRow.station_id == station_id))
            self._add_audit(s, "centre_station_registered", station_id,
                            {"commune": commune_name.strip(), "code": admin_code.strip(),
                             "renamed": row is not None})
            if row is None:
                row = CentreStationRow(station_id=station_id, public_key=public_key_hex)
                s.add(row)
            row.commune_name = commune_name.strip()
            row.admin_code = admin_code.strip()[:20]
            s.flush()
            return self._centre_station(s, row)

    def centre_station(self, station_id: str) -> CentreStation | None:
        with self._tx() as s:
            row = s.scalar(select(CentreStationRow)
                           .where(CentreStationRow.station_id == station_id))
            return None if row is None else self._centre_station(s, row)

    def centre_stations(self) -> list[CentreStation]:
        with self._tx() as s:
            rows = s.scalars(select(CentreStationRow)
                             .order_by(CentreStationRow.commune_name, CentreStationRow.id))
            return [self._centre_station(s, r) for r in rows]

    def centre_import(self, station_id: str, entries: Sequence[dict[str, Any]]
                      ) -> tuple[int, int]:
        """Stores verified entries (consecutive seqs) of a registered station in one
        transaction; entries already there must be identical. Refuses (storing nothing) an
        entry that differs from the stored one with its seq, or a package whose ends do not
        link to stored neighbours. Returns (added, already there)."""
        if not entries:
            return 0, 0
        first, last = entries[0]["seq"], entries[-1]["seq"]
        for attempt in range(2):
            try:
                with self._tx() as s:
                    stored = dict(s.execute(
                        select(CentreLogEntryRow.seq, CentreLogEntryRow.entry_hash)
                        .where(CentreLogEntryRow.station_id == station_id)
                        .where(CentreLogEntryRow.seq >= first - 1)
                        .where(CentreLogEntryRow.seq <= last)).all())
                    after = s.execute(
                        select(CentreLogEntryRow.prev_hash)
                        .where(CentreLogEntryRow.station_id == station_id)
                        .where(CentreLogEntryRow.seq == last + 1)).scalar()
                    before = stored.get(first - 1)
                    if before is not None and before != entries[0]["prev_hash"]:
                        raise LoaxaError("centre_chain_mismatch", seq=first)
                    if after is not None and after != entries[-1]["entry_hash"]:
                        raise LoaxaError("centre_chain_mismatch", seq=last + 1)
                    new_rows = []
                    for entry in entries:
                        known = stored.get(entry["seq"])
                        if known is None:
                            new_rows.append(_centre_row(station_id, entry))
                        elif known != entry["entry_hash"]:
                            raise LoaxaError("centre_conflict", seq=entry["seq"])
                    for n in range(0, len(new_rows), 5000):
                        s.execute(insert(CentreLogEntryRow), new_rows[n:n + 5000])
                    return len(new_rows), len(entries) - len(new_rows)
            except IntegrityError:
                # Another import stored some of these entries at the same moment: again.
                if attempt:
                    raise LoaxaError("centre_conflict", seq=first) from None
            except SQLAlchemyError as exc:  # e.g. text PostgreSQL cannot hold (NUL)
                orig = getattr(exc, "orig", None) or exc
                raise LoaxaError("centre_store_failed", reason=str(orig).strip()) from None
        raise LoaxaError("centre_conflict", seq=first)

    def centre_entries(self, start: datetime, end: datetime,
                       station_id: str | None = None) -> list[dict[str, Any]]:
        """Received entries scheduled in [start, end), as canonical field dicts plus
        ``station_id``, ordered by station and seq."""
        with self._tx() as s:
            query = (select(CentreLogEntryRow)
                     .where(CentreLogEntryRow.scheduled_at >= start)
                     .where(CentreLogEntryRow.scheduled_at < end))
            if station_id is not None:
                query = query.where(CentreLogEntryRow.station_id == station_id)
            query = query.order_by(CentreLogEntryRow.station_id, CentreLogEntryRow.seq)
            return [entry_fields(r) for r in s.scalars(query)]

    # -- the outbox: a commune pushing to the centre's database ----------------------------
    @classmethod
    def open_centre(cls, url: str, connect_timeout_s: int = 10) -> Database:
        """The centre's database as seen by a pushing commune (no migration is run: the
        centre owns its schema). A PostgreSQL URL gets a connection timeout unless it has
        one, so an unreachable server fails within seconds."""
        try:
            parsed = make_url(url.strip())
        except Exception:
            raise LoaxaError("centre_bad_url", url=url) from None
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            parsed = parsed.update_query_dict({"connect_timeout": str(connect_timeout_s)})
        try:
            return cls(parsed.render_as_string(hide_password=False))
        except LoaxaError as exc:
            raise LoaxaError("centre_unreachable", url=parsed.render_as_string(),
                             reason=exc.params.get("reason", exc.code)) from None

    def centre_ready(self) -> None:
        """Connects and checks that the centre tables exist: ``centre_unreachable`` when the
        server does not answer, ``centre_not_ready`` when it is not a LoaXa centre database."""
        try:
            with self.engine.connect() as connection:
                tables = set(inspect(connection).get_table_names())
        except (SQLAlchemyError, OSError) as exc:
            orig = getattr(exc, "orig", None) or exc
            raise LoaxaError("centre_unreachable", url=self.safe_url,
                             reason=str(orig).strip().splitlines()[0] if str(orig).strip()
                             else type(orig).__name__) from None
        if not {"centre_station", "centre_log_entry"} <= tables:
            raise LoaxaError("centre_not_ready", url=self.safe_url)

    def centre_push_state(self, station_id: str
                          ) -> tuple[str | None, str, int, int | None]:
        """For a pushing commune: (registered public key or None, registered commune name,
        number of entries held, highest seq held) of ``station_id`` at the centre. Cheap:
        asked before every pushed batch. A refusal by the server (rights, schema) is
        ``centre_unreachable`` with the server's reason."""
        try:
            with self._tx() as s:
                row = s.execute(select(CentreStationRow.public_key,
                                       CentreStationRow.commune_name)
                                .where(CentreStationRow.station_id == station_id)).first()
                count, last = s.execute(select(func.count(), func.max(CentreLogEntryRow.seq))
                                        .where(CentreLogEntryRow.station_id == station_id)
                                        ).one()
        except SQLAlchemyError as exc:
            orig = getattr(exc, "orig", None) or exc
            raise LoaxaError("centre_unreachable", url=self.safe_url,
                             reason=(str(orig).strip().splitlines() or [""])[0]) from None
        if row is None:
            return None, "", int(count), last
        return row[0], row[1], int(count), last

    def chain_first_seq(self, station_id: str) -> int | None:
        """The lowest seq sealed under ``station_id`` in this station's own chain."""
        with self._tx() as s:
            return s.scalar(select(func.min(LogEntryRow.seq))
                            .where(LogEntryRow.station_id == station_id)
                            .where(LogEntryRow.seq.is_not(None)))


_TIME_FIELDS = tuple(name for name, kind in ENTRY_FIELDS.items() if kind.startswith("time"))


def _centre_row(station_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    row = {name: entry[name] for name in ENTRY_FIELDS}
    for name in _TIME_FIELDS:
        if row[name] is not None:
            row[name] = parse_time(row[name])
    row["station_id"] = station_id
    row["received_at"] = utc_now()
    return row
