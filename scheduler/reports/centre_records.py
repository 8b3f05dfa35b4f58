"""Plain records of the centre's consolidated report: the communes' log entries received at
the centre (``centre_log_entry``), totalled per commune and across communes for a period of
Vietnam-time days (no database types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class CentreCommune:
    """A commune as the centre knows it: one or more registered stations (a commune that had
    to make a new key is registered again under the same administrative code)."""

    key: str  # the administrative code, or "station:<id>" when the commune has none
    name: str
    admin_code: str
    station_ids: tuple[str, ...]
    registered_at: datetime  # its first registration


@dataclass(frozen=True)
class CommuneTotal:
    """One commune's figures for the period; ``entries == 0`` means it sent nothing."""

    commune: CentreCommune
    entries: int = 0
    sessions_total: int = 0
    sessions_held: int = 0  # at least one item aired
    sessions_missed: int = 0  # nothing aired, and the session was missed
    sessions_failed: int = 0  # nothing aired for another reason
    airtime_ms: int = 0
    bulletins_aired: int = 0  # aired entries of bulletins (not chimes or jingles)
    titles_aired: int = 0
    emergencies_aired: int = 0
    failures: int = 0  # entries failed, interrupted, missed, partial or skipped
    first_entry: datetime | None = None  # scheduled time of the first entry in the period
    last_entry: datetime | None = None  # … and of the last one
    latest_received: datetime | None = None  # silent communes: their newest entry at all

    @property
    def is_silent(self) -> bool:
        return self.entries == 0


@dataclass(frozen=True)
class CentreGroupTotal:
    """Aired bulletins of one category or one policy document, across communes."""

    key: str  # "" when the bulletins carried none
    times_aired: int
    titles: int
    communes: int
    played_ms: int


@dataclass(frozen=True)
class CentreFailure:
    commune: str
    status: str
    reason: str
    count: int


@dataclass(frozen=True)
class CentreEmergency:
    scheduled_at: datetime
    commune: str
    title: str
    status: str
    played_ms: int
    triggered_by: str


@dataclass(frozen=True)
class CentreReportData:
    """The consolidated figures of local days ``first`` … ``last`` (Vietnam time)."""

    first: date
    last: date
    communes: tuple[CommuneTotal, ...] = ()  # every commune reported on, by name
    totals: CommuneTotal | None = None  # the sums across communes (titles: distinct)
    by_category: tuple[CentreGroupTotal, ...] = ()
    by_document: tuple[CentreGroupTotal, ...] = ()
    failures: tuple[CentreFailure, ...] = ()
    emergencies: tuple[CentreEmergency, ...] = ()
    emergencies_listed_all: bool = True  # False when the list was cut at its limit
    corrections_applied: int = 0  # entries replaced by a later correction

    @property
    def silent(self) -> tuple[CommuneTotal, ...]:
        return tuple(c for c in self.communes if c.is_silent)

    @property
    def reporting(self) -> tuple[CommuneTotal, ...]:
        return tuple(c for c in self.communes if not c.is_silent)

    @property
    def entries(self) -> int:
        return sum(c.entries for c in self.communes)

    @property
    def is_empty(self) -> bool:
        return self.entries == 0
