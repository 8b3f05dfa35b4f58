"""Plain records of the report data and the export rows (no database types)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

# Entries counted as aired: the item reached the loudspeakers (whole or in part).
AIRED_STATUSES = ("played", "partial")
# Entries that are failures, listed with their reasons.
FAILURE_STATUSES = ("failed", "interrupted", "missed", "partial", "skipped")
# Entries whose seconds never reached the loudspeakers (a correction copies the seconds of
# the entry it corrects).
NOT_ON_AIR_STATUSES = ("failed", "missed", "skipped")


class ExportRow(NamedTuple):
    """One log entry as exported (CSV, XLSX, PDF): times are aware UTC. A named tuple:
    a million of them are made for a full export."""

    id: int
    scheduled_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    status: str
    bulletin_id: int | None
    bulletin_title: str
    item_kind: str
    level: str
    category: str
    document_ref: str
    played_ms: int
    output_device: str
    reason: str
    session_id: int | None
    session_key: str
    triggered_by: str
    audio_sha256: str


class ExportTextRow(NamedTuple):
    """An :class:`ExportRow` whose three times are already Vietnam-time texts
    (``YYYY-MM-DD HH:MM:SS``, "" when absent), made by the database: the CSV path."""

    id: int
    scheduled_at: str
    started_at: str
    ended_at: str
    status: str
    bulletin_id: int | None
    bulletin_title: str
    item_kind: str
    level: str
    category: str
    document_ref: str
    played_ms: int
    output_device: str
    reason: str
    session_id: int | None
    session_key: str
    triggered_by: str
    audio_sha256: str


@dataclass(frozen=True)
class GroupTotal:
    """Aired bulletins of one category or one policy document."""

    key: str  # "" when the bulletins carried none
    times_aired: int
    titles: int
    played_ms: int


@dataclass(frozen=True)
class TitleTotal:
    """One bulletin title aired in the period."""

    title: str
    category: str
    document_ref: str
    times_aired: int
    played_ms: int
    first_aired: datetime | None
    last_aired: datetime | None


@dataclass(frozen=True)
class FailureTotal:
    status: str
    reason: str
    count: int


@dataclass(frozen=True)
class EmergencyItem:
    scheduled_at: datetime
    title: str
    status: str
    played_ms: int
    triggered_by: str


@dataclass(frozen=True)
class ReportData:
    """The aggregates of a period, local days ``first`` … ``last`` (Vietnam time)."""

    first: date
    last: date
    entries: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    sessions_total: int = 0
    sessions_held: int = 0  # at least one item aired
    sessions_missed: int = 0  # nothing aired, and the session was missed
    sessions_failed: int = 0  # nothing aired for another reason (failure, interruption)
    airtime_ms: int = 0
    bulletins_aired: int = 0  # aired entries of bulletins (not chimes or jingles)
    titles_aired: int = 0
    emergencies_aired: int = 0
    emergency_ms: int = 0
    emergencies: tuple[EmergencyItem, ...] = ()
    by_category: tuple[GroupTotal, ...] = ()
    by_document: tuple[GroupTotal, ...] = ()
    failures: tuple[FailureTotal, ...] = ()
    titles: tuple[TitleTotal, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.entries == 0
