"""The schedule in the database: series, one-offs, occurrence changes, campaigns, quiet hours,
operator audio, emergencies, what became of each occurrence, and the engine's heartbeat.

A mixin of :class:`scheduler.persistence.db.Database`; it builds the pure
:class:`scheduler.schedule.Schedule` that the engine, ``loaxa check`` and the window resolve.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import Session

from media.errors import LoaxaError
from scheduler.persistence.models import (
    AudioAssetRow,
    BulletinRow,
    CampaignRow,
    EmergencyRow,
    HeartbeatRow,
    OccurrenceChangeRow,
    QuietHoursRow,
    SeriesItemRow,
    SeriesRow,
    SessionItemRow,
    SessionRow,
    SessionRunRow,
    StationRow,
)
from scheduler.persistence.people_db import is_approved
from scheduler.records import AudioAsset, Level, SessionState
from scheduler.schedule import (
    AudioInfo,
    BulletinInfo,
    Campaign,
    ItemKind,
    ItemSpec,
    OccurrenceChange,
    OneOffSession,
    QuietHours,
    Schedule,
    SessionSeries,
)
from scheduler.timeutil import utc_now

DEFAULT_ONE_OFF_LENGTH_S = 15 * 60


@dataclass(frozen=True)
class Emergency:
    id: int
    bulletin_id: int
    bulletin_title: str
    requested_at: datetime
    requested_by: str
    repeat_minutes: int | None
    state: str  # pending | repeating | done | cancelled
    plays: int
    last_started_at: datetime | None


def _time_text(moment: time) -> str:
    return moment.strftime("%H:%M:%S")


def _parse_time(text: str) -> time:
    return time.fromisoformat(text)


def _item_row_fields(item: ItemSpec) -> dict:
    fields: dict = {"kind": item.kind.value, "bulletin_id": item.bulletin_id,
                    "audio_asset_id": item.audio_id, "stream_url": item.url,
                    "duration_s": round(item.duration) if item.duration is not None else None,
                    "fallback_asset_id": None}
    if item.fallback is not None:
        if item.fallback.kind not in (ItemKind.AUDIO, ItemKind.JINGLE) \
                or item.fallback.audio_id is None:
            raise LoaxaError("schedule_bad_item", kind="relay")
        fields["fallback_asset_id"] = item.fallback.audio_id
    return fields


def _item_spec(row: SeriesItemRow | SessionItemRow) -> ItemSpec:
    kind = ItemKind(row.kind)
    if kind is ItemKind.BULLETIN:
        return ItemSpec.bulletin(row.bulletin_id)  # type: ignore[arg-type]
    if kind is ItemKind.AUDIO:
        return ItemSpec.audio(row.audio_asset_id)  # type: ignore[arg-type]
    if kind is ItemKind.JINGLE:
        return ItemSpec.jingle(row.audio_asset_id)
    fallback = ItemSpec.audio(row.fallback_asset_id) if row.fallback_asset_id else None
    return ItemSpec.relay(row.stream_url, float(row.duration_s or 0), fallback)


class ScheduleStore:
    """Schedule queries; mixed into Database (which provides ``_tx``)."""

    _tx: Callable[[], AbstractContextManager[Session]]

    # -- operator audio and the station jingle ------------------------------------------
    def add_audio_asset(self, *, sha256: str, rel_path: str, duration_ms: int, title: str,
                        origin: str = "file") -> AudioAsset:
        with self._tx() as s:
            row = s.scalar(select(AudioAssetRow).where(AudioAssetRow.sha256 == sha256))
            if row is None:
                row = AudioAssetRow(sha256=sha256, rel_path=rel_path, duration_ms=duration_ms,
                                    origin=origin, engine="", voice="")
                s.add(row)
            row.title = title.strip()[:200]
            s.flush()
            return AudioAsset(row.id, row.sha256, row.rel_path, row.duration_ms, row.origin,
                              row.engine, row.voice)

    def get_audio_asset(self, asset_id: int) -> AudioAsset:
        with self._tx() as s:
            row = s.get(AudioAssetRow, asset_id)
            if row is None:
                raise LoaxaError("audio_asset_not_found", id=asset_id)
            return AudioAsset(row.id, row.sha256, row.rel_path, row.duration_ms, row.origin,
                              row.engine, row.voice)

    def audio_titles(self) -> dict[int, str]:
        with self._tx() as s:
            return {i: t for i, t in s.execute(select(AudioAssetRow.id, AudioAssetRow.title)
                                               .where(AudioAssetRow.origin == "file"))}

    def set_station_jingle(self, asset_id: int | None) -> None:
        with self._tx() as s:
            if asset_id is not None and s.get(AudioAssetRow, asset_id) is None:
                raise LoaxaError("audio_asset_not_found", id=asset_id)
            row = s.get(StationRow, 1)
            if row is None:
                row = StationRow(id=1)
                s.add(row)
            row.jingle_asset_id = asset_id

    # -- series, changes, campaigns, quiet hours -----------------------------------------
    def _check_items(self, s: Session, items: Sequence[ItemSpec]) -> None:
        for item in items:
            if item.bulletin_id is not None and s.get(BulletinRow, item.bulletin_id) is None:
                raise LoaxaError("bulletin_not_found", id=item.bulletin_id)
            for asset_id in (item.audio_id,
                             item.fallback.audio_id if item.fallback is not None else None):
                if asset_id is not None and s.get(AudioAssetRow, asset_id) is None:
                    raise LoaxaError("audio_asset_not_found", id=asset_id)

    def add_series(self, *, title: str, start: time, weekdays: Iterable[int],
                   valid_from: date, valid_until: date | None, length_s: int,
                   items: Sequence[ItemSpec]) -> int:
        # Validates like the pure model does (raises LoaxaError on bad input).
        SessionSeries(0, title, start, frozenset(weekdays), valid_from, valid_until, length_s,
                      tuple(items))
        with self._tx() as s:
            self._check_items(s, items)
            row = SeriesRow(title=title.strip()[:200], start_local=_time_text(start),
                            weekdays="".join(str(d) for d in sorted(set(weekdays))),
                            valid_from=valid_from, valid_until=valid_until,
                            planned_length_s=length_s)
            row.items = [SeriesItemRow(position=n, **_item_row_fields(item))
                         for n, item in enumerate(items)]
            s.add(row)
            s.flush()
            return row.id

    def set_series_enabled(self, series_id: int, enabled: bool) -> None:
        with self._tx() as s:
            row = s.get(SeriesRow, series_id)
            if row is None:
                raise LoaxaError("series_not_found", id=series_id)
            row.enabled = enabled

    def change_occurrence(self, series_id: int, day: date, *, cancel: bool = False,
                          move_to: datetime | None = None, length_s: int | None = None) -> None:
        """Cancel, move or extend one occurrence (the series is untouched); a second change
        of the same occurrence replaces the first."""
        OccurrenceChange(series_id, day, cancel=cancel, move_to=move_to, length=length_s)
        action = "cancel" if cancel else "move" if move_to is not None else "extend"
        if action == "extend" and length_s is None:
            raise LoaxaError("schedule_bad_change")
        with self._tx() as s:
            if s.get(SeriesRow, series_id) is None:
                raise LoaxaError("series_not_found", id=series_id)
            row = s.scalar(select(OccurrenceChangeRow)
                           .where(OccurrenceChangeRow.series_id == series_id)
                           .where(OccurrenceChangeRow.occurrence_date == day))
            if row is None:
                row = OccurrenceChangeRow(series_id=series_id, occurrence_date=day)
                s.add(row)
            row.action, row.new_start, row.new_length_s = action, move_to, length_s

    def add_campaign(self, *, bulletin_id: int, first_day: date, last_day: date,
                     series_ids: Iterable[int] | None = None,
                     window: tuple[time, time] | None = None, max_per_day: int | None = None,
                     title: str = "") -> int:
        ids = None if series_ids is None else frozenset(series_ids)
        Campaign(0, bulletin_id, first_day, last_day, ids, window, max_per_day)
        with self._tx() as s:
            if s.get(BulletinRow, bulletin_id) is None:
                raise LoaxaError("bulletin_not_found", id=bulletin_id)
            for series_id in ids or ():
                if s.get(SeriesRow, series_id) is None:
                    raise LoaxaError("series_not_found", id=series_id)
            row = CampaignRow(bulletin_id=bulletin_id, first_day=first_day, last_day=last_day,
                              series_ids=",".join(str(i) for i in sorted(ids or ())),
                              window_start=_time_text(window[0]) if window else "",
                              window_end=_time_text(window[1]) if window else "",
                              max_per_day=max_per_day, title=title.strip()[:200])
            s.add(row)
            s.flush()
            return row.id

    def set_quiet_hours(self, windows: Sequence[tuple[time, time]]) -> None:
        QuietHours(tuple(windows))
        with self._tx() as s:
            s.execute(delete(QuietHoursRow))
            for begin, end in windows:
                s.add(QuietHoursRow(start_local=_time_text(begin), end_local=_time_text(end)))

    def quiet_hours(self) -> list[tuple[time, time]]:
        with self._tx() as s:
            return [(_parse_time(r.start_local), _parse_time(r.end_local))
                    for r in s.scalars(select(QuietHoursRow).order_by(QuietHoursRow.id))]

    def load_schedule(self, audio_present: Callable[[str], bool] = lambda _path: True
                      ) -> Schedule:
        """The whole schedule as the pure model; ``audio_present`` tells whether a stored
        file (path relative to the audio store) exists."""
        with self._tx() as s:
            audio = {r.id: AudioInfo(r.id, r.title or r.sha256[:12], r.duration_ms / 1000,
                                     audio_present(r.rel_path))
                     for r in s.scalars(select(AudioAssetRow))}
            bulletins: dict[int, BulletinInfo] = {}
            # Only the columns the model needs, and a text only where an approval is to be
            # checked against it (bulletin texts run to thousands of characters).
            for b in s.execute(select(
                    BulletinRow.id, BulletinRow.title, BulletinRow.level,
                    BulletinRow.priority_rank, BulletinRow.audio_asset_id,
                    BulletinRow.valid_from, BulletinRow.valid_until, BulletinRow.approved_at,
                    BulletinRow.approved_sha256,
                    case((BulletinRow.approved_at.is_(None), None),
                         else_=BulletinRow.body).label("body"))):
                asset = audio.get(b.audio_asset_id) if b.audio_asset_id else None
                bulletins[b.id] = BulletinInfo(
                    b.id, b.title, Level(b.level), b.priority_rank, rendered=asset is not None,
                    duration=asset.duration if asset else None,
                    audio_present=bool(asset and asset.present), valid_from=b.valid_from,
                    valid_until=b.valid_until, approved=is_approved(b))  # type: ignore[arg-type]
            series = tuple(
                SessionSeries(r.id, r.title, _parse_time(r.start_local),
                              frozenset(int(c) for c in r.weekdays), r.valid_from,
                              r.valid_until, r.planned_length_s or DEFAULT_ONE_OFF_LENGTH_S,
                              tuple(_item_spec(i) for i in r.items), r.enabled)
                for r in s.scalars(select(SeriesRow).order_by(SeriesRow.id)))
            # One-offs pile up over the years: their rows and items as plain columns (no ORM
            # objects, no bulletin rows joined to every item).
            live = SessionRow.state != SessionState.CANCELLED.value
            session_items: dict[int, list[ItemSpec]] = {}
            for i in s.execute(select(SessionItemRow.session_id, SessionItemRow.kind,
                                      SessionItemRow.bulletin_id,
                                      SessionItemRow.audio_asset_id,
                                      SessionItemRow.stream_url, SessionItemRow.duration_s,
                                      SessionItemRow.fallback_asset_id)
                               .join(SessionRow, SessionRow.id == SessionItemRow.session_id)
                               .where(live)
                               .order_by(SessionItemRow.session_id, SessionItemRow.position)):
                session_items.setdefault(i.session_id, []).append(
                    _item_spec(i))  # type: ignore[arg-type]
            one_offs = []
            for r in s.execute(select(SessionRow.id, SessionRow.scheduled_at, SessionRow.title,
                                      SessionRow.planned_length_s)
                               .where(live).order_by(SessionRow.id)):
                items = tuple(session_items.get(r.id, ()))
                length = r.planned_length_s or _natural_length(items, bulletins, audio)
                one_offs.append(OneOffSession(r.id, r.scheduled_at, r.title, length, items))
            changes = tuple(
                OccurrenceChange(r.series_id, r.occurrence_date, cancel=r.action == "cancel",
                                 move_to=r.new_start if r.action == "move" else None,
                                 length=r.new_length_s)
                for r in s.scalars(select(OccurrenceChangeRow).order_by(OccurrenceChangeRow.id)))
            campaigns = tuple(
                Campaign(r.id, r.bulletin_id, r.first_day, r.last_day,
                         frozenset(int(x) for x in r.series_ids.split(",")) if r.series_ids
                         else None,
                         (_parse_time(r.window_start), _parse_time(r.window_end))
                         if r.window_start else None, r.max_per_day)
                for r in s.scalars(select(CampaignRow).where(CampaignRow.enabled)
                                   .order_by(CampaignRow.id)))
            quiet = QuietHours(tuple(
                (_parse_time(r.start_local), _parse_time(r.end_local))
                for r in s.scalars(select(QuietHoursRow).order_by(QuietHoursRow.id))))
            station = s.get(StationRow, 1)
            jingle = station.jingle_asset_id if station is not None else None
        return Schedule(series=series, one_offs=tuple(one_offs), changes=changes,
                        campaigns=campaigns, bulletins=bulletins, audio=audio,
                        quiet_hours=quiet, station_jingle_id=jingle)

    # -- what became of each occurrence --------------------------------------------------
    def run_states(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(keys)
        if not keys:
            return {}
        with self._tx() as s:
            rows = s.execute(select(SessionRunRow.occurrence_key, SessionRunRow.state)
                             .where(SessionRunRow.occurrence_key.in_(keys)))
            return {key: state for key, state in rows}

    def runs_on_air(self) -> list[str]:
        with self._tx() as s:
            return list(s.scalars(select(SessionRunRow.occurrence_key)
                                  .where(SessionRunRow.state == "on_air")))

    def set_run_state(self, key: str, scheduled_at: datetime, state: str) -> None:
        with self._tx() as s:
            _set_run_state(s, key, scheduled_at, state)

    # -- emergencies ------------------------------------------------------------------------
    def add_emergency(self, bulletin_id: int, *, requested_at: datetime, requested_by: str,
                      repeat_minutes: int | None = None) -> int:
        if repeat_minutes is not None and not 1 <= repeat_minutes <= 24 * 60:
            raise LoaxaError("emergency_bad_repeat", value=repeat_minutes)
        with self._tx() as s:
            if s.get(BulletinRow, bulletin_id) is None:
                raise LoaxaError("bulletin_not_found", id=bulletin_id)
            row = EmergencyRow(bulletin_id=bulletin_id, requested_at=requested_at,
                               requested_by=requested_by.strip()[:100],
                               repeat_minutes=repeat_minutes, state="pending", plays=0)
            s.add(row)
            s.flush()
            return row.id

    def _emergencies(self, s: Session, query) -> list[Emergency]:  # noqa: ANN001
        out = []
        for row, title in s.execute(query.join(BulletinRow,
                                               BulletinRow.id == EmergencyRow.bulletin_id)):
            out.append(Emergency(row.id, row.bulletin_id, title, row.requested_at,
                                 row.requested_by, row.repeat_minutes, row.state, row.plays,
                                 row.last_started_at))
        return out

    def list_emergencies(self, active_only: bool = False) -> list[Emergency]:
        with self._tx() as s:
            query = select(EmergencyRow, BulletinRow.title).order_by(EmergencyRow.id.desc())
            if active_only:
                query = query.where(EmergencyRow.state.in_(("pending", "repeating")))
            return self._emergencies(s, query)

    def due_emergencies(self, now: datetime,
                        active: list[Emergency] | None = None) -> list[Emergency]:
        """Emergencies to play now: new ones, and repeating ones whose interval has passed
        (from ``active``, the active ones, when the caller has them already)."""
        if active is None:
            active = self.list_emergencies(active_only=True)
        due = [e for e in active if e.state == "pending"
               or (e.repeat_minutes and e.last_started_at is not None
                   and (now - e.last_started_at).total_seconds() >= e.repeat_minutes * 60)]
        return sorted(due, key=lambda e: e.id)

    @staticmethod
    def next_emergency_repeat(active: list[Emergency]) -> datetime | None:
        """When the next repeat of an active repeating emergency is due."""
        times = [e.last_started_at + timedelta(minutes=e.repeat_minutes)
                 for e in active
                 if e.state == "repeating" and e.repeat_minutes and e.last_started_at]
        return min(times, default=None)

    def emergency_started(self, emergency_id: int, at: datetime) -> int:
        """Records an airing; returns its number (1 for the first)."""
        with self._tx() as s:
            row = s.get(EmergencyRow, emergency_id)
            if row is None:
                raise LoaxaError("emergency_not_found", id=emergency_id)
            row.plays += 1
            row.last_started_at = at
            if row.state == "pending":
                row.state = "repeating" if row.repeat_minutes else "done"
            return row.plays

    def cancel_emergency(self, emergency_id: int, *, by: str, at: datetime) -> None:
        with self._tx() as s:
            row = s.get(EmergencyRow, emergency_id)
            if row is None:
                raise LoaxaError("emergency_not_found", id=emergency_id)
            if row.state in ("pending", "repeating"):
                row.state = "cancelled"
                row.cancelled_at, row.cancelled_by = at, by.strip()[:100]

    # -- heartbeat ------------------------------------------------------------------------
    def beat(self, now: datetime) -> None:
        with self._tx() as s:
            row = s.get(HeartbeatRow, 1)
            if row is None:
                s.add(HeartbeatRow(id=1, alive_at=now))
            else:
                row.alive_at = now

    def last_heartbeat(self) -> datetime | None:
        with self._tx() as s:
            row = s.get(HeartbeatRow, 1)
            return row.alive_at if row is not None else None

    def schedule_revision(self) -> tuple:
        """Changes whenever anything the schedule is built from changes (one query)."""
        parts = []
        for table in (SeriesRow, OccurrenceChangeRow, CampaignRow, QuietHoursRow,
                      BulletinRow, SessionRow, AudioAssetRow):
            column = getattr(table, "updated_at", None) or table.created_at
            parts.append(select(func.count()).select_from(table).scalar_subquery())
            parts.append(select(func.max(column)).scalar_subquery())
        parts.append(select(StationRow.jingle_asset_id).where(StationRow.id == 1)
                     .scalar_subquery())
        with self._tx() as s:
            return tuple(s.execute(select(*parts)).one())

def _natural_length(items: Sequence[ItemSpec], bulletins: dict[int, BulletinInfo],
                    audio: dict[int, AudioInfo]) -> int:
    """A one-off's planned length when none was given: its items, plus a minute of slack."""
    total = 0.0
    for item in items:
        if item.kind is ItemKind.BULLETIN and item.bulletin_id in bulletins:
            total += bulletins[item.bulletin_id].duration or 0.0
        elif item.kind in (ItemKind.AUDIO, ItemKind.JINGLE) and item.audio_id in audio:
            total += audio[item.audio_id].duration or 0.0
        elif item.kind is ItemKind.RELAY:
            total += item.duration or 0.0
    return max(60, round(total) + 60) if total else DEFAULT_ONE_OFF_LENGTH_S


def _set_run_state(s: Session, key: str, scheduled_at: datetime, state: str) -> None:
    row = s.scalar(select(SessionRunRow).where(SessionRunRow.occurrence_key == key))
    if row is None:
        s.add(SessionRunRow(occurrence_key=key, scheduled_at=scheduled_at, state=state))
    else:
        row.state = state
    if key.startswith("oneoff:"):  # the one-off's own row shows the same state
        s.execute(update(SessionRow).where(SessionRow.id == int(key.split(":", 1)[1]))
                  .values(state=state, updated_at=utc_now()))

