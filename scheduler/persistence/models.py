"""The one SQLAlchemy metadata of LoaXa. Changes go through an Alembic migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (no time zones) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class StationRow(Base):
    __tablename__ = "station"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_name: Mapped[str] = mapped_column(String(200), default="")
    admin_code: Mapped[str] = mapped_column(String(20), default="")
    centre_name: Mapped[str] = mapped_column(String(200), default="")
    # Ed25519 public key of this installation (hex, 64 characters): the centre registers it.
    public_key: Mapped[str] = mapped_column(String(64), default="")
    # The station-ID jingle (an operator's recording in the audio store), played where a
    # session has a "jingle" item.
    jingle_asset_id: Mapped[int | None] = mapped_column(ForeignKey("audio_asset.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class AudioAssetRow(Base):
    __tablename__ = "audio_asset"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    rel_path: Mapped[str] = mapped_column(String(300))
    duration_ms: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(20))  # tts | file
    title: Mapped[str] = mapped_column(String(200), default="")  # operator files, jingles
    engine: Mapped[str] = mapped_column(String(40), default="")
    voice: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class BulletinRow(Base):
    __tablename__ = "bulletin"
    __table_args__ = (
        CheckConstraint("level IN ('normal', 'priority', 'emergency')", name="level"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(12), default="normal")
    source_name: Mapped[str] = mapped_column(String(300), default="")
    # Metadata for the library and the reports: the policy area of the commune's
    # communication plan, the policy document it communicates, who issued it, validity.
    category: Mapped[str] = mapped_column(String(100), default="")
    document_ref: Mapped[str] = mapped_column(String(100), default="")
    issuing_body: Mapped[str] = mapped_column(String(200), default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    # Order among priority bulletins (lower first), set by the operator.
    priority_rank: Mapped[int] = mapped_column(Integer, default=0)
    audio_asset_id: Mapped[int | None] = mapped_column(ForeignKey("audio_asset.id"))
    # sha256 of what the audio was made from (text, engine, voice, speed): stale when it differs.
    audio_source_sha256: Mapped[str] = mapped_column(String(64), default="")
    # Approval for air (migration 0006): who approved, when, and the fingerprint of the level
    # and text approved (scheduler.people.approval_fingerprint); no approval while empty.
    approved_by: Mapped[str] = mapped_column(String(100), default="")
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_sha256: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)
    audio: Mapped[AudioAssetRow | None] = relationship(lazy="joined")


class SessionRow(Base):
    __tablename__ = "broadcast_session"
    __table_args__ = (
        CheckConstraint(
            "state IN ('scheduled', 'on_air', 'done', 'missed', 'cancelled')", name="state"),
        Index("ix_broadcast_session_state_scheduled_at", "state", "scheduled_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(12), default="scheduled")
    planned_length_s: Mapped[int] = mapped_column(Integer, default=0)  # 0: the items' length
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)
    items: Mapped[list[SessionItemRow]] = relationship(
        back_populates="session", order_by="SessionItemRow.position",
        cascade="all, delete-orphan", lazy="selectin")


class SessionItemRow(Base):
    __tablename__ = "session_item"
    __table_args__ = (UniqueConstraint("session_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("broadcast_session.id",
                                                       ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12), default="bulletin")
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("bulletin.id"))
    audio_asset_id: Mapped[int | None] = mapped_column(ForeignKey("audio_asset.id"))
    stream_url: Mapped[str] = mapped_column(String(500), default="")
    duration_s: Mapped[int | None] = mapped_column(Integer)  # a relay's length
    fallback_asset_id: Mapped[int | None] = mapped_column(ForeignKey("audio_asset.id"))
    session: Mapped[SessionRow] = relationship(back_populates="items")
    bulletin: Mapped[BulletinRow | None] = relationship(lazy="joined")


class SeriesRow(Base):
    """A recurring session template ("Sáng 06:00 hằng ngày")."""

    __tablename__ = "session_series"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    start_local: Mapped[str] = mapped_column(String(8))  # HH:MM:SS, Vietnam time
    weekdays: Mapped[str] = mapped_column(String(7), default="0123456")  # Monday = 0
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    planned_length_s: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)
    items: Mapped[list[SeriesItemRow]] = relationship(
        order_by="SeriesItemRow.position", cascade="all, delete-orphan", lazy="selectin")


class SeriesItemRow(Base):
    __tablename__ = "series_item"
    __table_args__ = (UniqueConstraint("series_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("session_series.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12), default="bulletin")
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("bulletin.id"))
    audio_asset_id: Mapped[int | None] = mapped_column(ForeignKey("audio_asset.id"))
    stream_url: Mapped[str] = mapped_column(String(500), default="")
    duration_s: Mapped[int | None] = mapped_column(Integer)
    fallback_asset_id: Mapped[int | None] = mapped_column(ForeignKey("audio_asset.id"))


class OccurrenceChangeRow(Base):
    """One occurrence of a series moved, cancelled or extended; the series is untouched."""

    __tablename__ = "occurrence_change"
    __table_args__ = (
        UniqueConstraint("series_id", "occurrence_date"),
        CheckConstraint("action IN ('cancel', 'move', 'extend')", name="action"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("session_series.id", ondelete="CASCADE"))
    occurrence_date: Mapped[date] = mapped_column(Date)  # the local day it was planned for
    action: Mapped[str] = mapped_column(String(10))
    new_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_length_s: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class CampaignRow(Base):
    """A bulletin placed in matching sessions from one day to another, at most N a day."""

    __tablename__ = "campaign"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    series_ids: Mapped[str] = mapped_column(String(200), default="")  # "1,3"; empty: all
    window_start: Mapped[str] = mapped_column(String(8), default="")  # HH:MM:SS local
    window_end: Mapped[str] = mapped_column(String(8), default="")
    max_per_day: Mapped[int | None] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class QuietHoursRow(Base):
    """No normal or priority playback inside these local windows; emergencies still play."""

    __tablename__ = "quiet_hours"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_local: Mapped[str] = mapped_column(String(8))
    end_local: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class EmergencyRow(Base):
    """An emergency broadcast: plays at once, optionally again every N minutes."""

    __tablename__ = "emergency"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'repeating', 'done', 'cancelled')",
                        name="state"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_by: Mapped[str] = mapped_column(String(100), default="")
    repeat_minutes: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    plays: Mapped[int] = mapped_column(Integer, default=0)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class SessionRunRow(Base):
    """What became of one occurrence (a series' day, a one-off): on air, done or missed.
    The occurrence key makes sure nothing is played twice."""

    __tablename__ = "session_run"
    __table_args__ = (
        CheckConstraint("state IN ('on_air', 'done', 'missed')", name="state"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurrence_key: Mapped[str] = mapped_column(String(80), unique=True)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    state: Mapped[str] = mapped_column(String(12))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class LogEntryRow(Base):
    __tablename__ = "broadcast_log_entry"
    __table_args__ = (
        CheckConstraint(
            "status IN ('playing', 'played', 'partial', 'failed', 'interrupted', 'missed',"
            " 'skipped')", name="status"),
        # Reports filter by status within a period (migration 0004).
        Index("ix_broadcast_log_entry_status_scheduled_at", "status", "scheduled_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("broadcast_session.id"),
                                                   index=True)
    session_item_id: Mapped[int | None] = mapped_column(ForeignKey("session_item.id"))
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("bulletin.id"))
    # The title as it was when aired: the log stays true if the bulletin is renamed later.
    bulletin_title: Mapped[str] = mapped_column(String(300), default="")
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    audio_sha256: Mapped[str] = mapped_column(String(64), default="")
    played_ms: Mapped[int] = mapped_column(Integer, default=0)
    output_device: Mapped[str] = mapped_column(String(200), default="")
    # What was aired, copied at air time so the log stays true when bulletins change.
    session_key: Mapped[str] = mapped_column(String(80), default="")  # the occurrence played
    item_position: Mapped[int | None] = mapped_column(Integer)
    item_kind: Mapped[str] = mapped_column(String(12), default="bulletin")
    level: Mapped[str] = mapped_column(String(12), default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    document_ref: Mapped[str] = mapped_column(String(100), default="")
    triggered_by: Mapped[str] = mapped_column(String(100), default="")  # who, for emergencies
    note: Mapped[str] = mapped_column(Text, default="")
    # The tamper-evident chain: set once, when the entry is complete (sealed); never changed.
    seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    station_id: Mapped[str] = mapped_column(String(64), default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")
    corrects_seq: Mapped[int | None] = mapped_column(Integer)
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class HeartbeatRow(Base):
    """When the playout engine was last alive: after a power cut, the sessions between this
    and now are played late inside the grace window or logged missed."""

    __tablename__ = "engine_heartbeat"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alive_at: Mapped[datetime] = mapped_column(UTCDateTime)
class ChainHeadRow(Base):
    """One row (id 1), locked by every transaction that seals log entries, so two writers
    never take the same seq. ``last_seq`` mirrors the newest sealed seq."""

    __tablename__ = "log_chain_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class CentreStationRow(Base):
    """Centre mode: a commune station whose signed packages the centre accepts."""

    __tablename__ = "centre_station"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(16), unique=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    commune_name: Mapped[str] = mapped_column(Text, default="")
    admin_code: Mapped[str] = mapped_column(String(20), default="")
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class CentreLogEntryRow(Base):
    """Centre mode: log entries received in verified packages; append-only, one per
    (station_id, seq)."""

    __tablename__ = "centre_log_entry"
    __table_args__ = (
        UniqueConstraint("station_id", "seq"),
        Index("ix_centre_log_entry_scheduled_at_station_id", "scheduled_at", "station_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="")
    played_ms: Mapped[int] = mapped_column(Integer, default=0)
    session_id: Mapped[int | None] = mapped_column(Integer)
    session_item_id: Mapped[int | None] = mapped_column(Integer)
    session_key: Mapped[str] = mapped_column(Text, default="")
    item_position: Mapped[int | None] = mapped_column(Integer)
    item_kind: Mapped[str] = mapped_column(Text, default="")
    bulletin_id: Mapped[int | None] = mapped_column(Integer)
    bulletin_title: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(Text, default="")
    document_ref: Mapped[str] = mapped_column(Text, default="")
    audio_sha256: Mapped[str] = mapped_column(Text, default="")
    output_device: Mapped[str] = mapped_column(Text, default="")
    triggered_by: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    corrects_seq: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class UserRow(Base):
    """A person who works with LoaXa (migration 0006). The lockout state is kept here, so a
    restart does not reset it."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)  # login name
    full_name: Mapped[str] = mapped_column(String(200), default="")
    roles: Mapped[str] = mapped_column(String(100), default="")  # "operator,approver"
    pin_hash: Mapped[str] = mapped_column(String(200))  # scrypt$N$r$p$salt$hash
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)  # in a row
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class AuditEventRow(Base):
    """The audit trail (migration 0006): append-only; rows are never changed or deleted."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(100), default="")  # "bulletin:3", "user:lan"
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON
