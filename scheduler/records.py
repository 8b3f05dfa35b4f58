"""Plain records passed between the persistence layer, the engine and the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Level(StrEnum):
    """Bulletin levels of Circular 39/2020/TT-BTTTT."""

    NORMAL = "normal"
    PRIORITY = "priority"
    EMERGENCY = "emergency"


class LogStatus(StrEnum):
    PLAYING = "playing"  # written before an item starts; replaced when it ends
    PLAYED = "played"
    PARTIAL = "partial"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    MISSED = "missed"
    SKIPPED = "skipped"


FINAL_STATUSES = tuple(s for s in LogStatus if s is not LogStatus.PLAYING)


class SessionState(StrEnum):
    SCHEDULED = "scheduled"
    ON_AIR = "on_air"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Station:
    commune_name: str
    admin_code: str
    centre_name: str


@dataclass(frozen=True)
class AudioAsset:
    id: int
    sha256: str
    rel_path: str
    duration_ms: int
    origin: str
    engine: str
    voice: str


@dataclass(frozen=True)
class Bulletin:
    id: int
    title: str
    body: str
    level: Level
    source_name: str
    created_at: datetime
    audio: AudioAsset | None
    audio_source_sha256: str  # what the audio was made from (text, voice, speed …)
    category: str = ""  # policy area of the commune's communication plan
    document_ref: str = ""  # the policy document communicated, e.g. "07/CT-TTg"
    issuing_body: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    priority_rank: int = 0  # order among priority bulletins, lower first
    # Approval for air (scheduler/people.py): who approved and when; ``approved`` is True
    # only while the approval covers the bulletin's current level and text.
    approved_by: str = ""
    approved_at: datetime | None = None
    approved: bool = False


@dataclass(frozen=True)
class SessionItem:
    id: int
    position: int
    bulletin_id: int | None
    bulletin_title: str


@dataclass(frozen=True)
class BroadcastSession:
    id: int
    scheduled_at: datetime
    title: str
    state: SessionState
    items: tuple[SessionItem, ...]


@dataclass(frozen=True)
class LogEntry:
    id: int
    session_id: int | None
    session_item_id: int | None
    bulletin_id: int | None
    bulletin_title: str
    scheduled_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    status: LogStatus
    reason: str
    audio_sha256: str
    played_ms: int
    output_device: str
    session_key: str = ""
    item_position: int | None = None
    item_kind: str = "bulletin"
    level: str = ""
    category: str = ""
    document_ref: str = ""
    triggered_by: str = ""
    note: str = ""
    seq: int | None = None  # position in the tamper-evident chain, once sealed
    station_id: str = ""
    prev_hash: str = ""
    entry_hash: str = ""
    corrects_seq: int | None = None
    sealed_at: datetime | None = None
