"""The schedule model and its resolution into a concrete timeline — pure functions.

Nothing here reads the clock, the database or a file: every instant is passed in, so every
rule is tested without a clock (the triggers of APScheduler work the same way). The database
layer builds a :class:`Schedule` from its rows; the playout engine asks :func:`due_sessions`
and :func:`next_session` with the instant of its own injected clock; ``loaxa check`` and the
window call :func:`check_day` / :func:`check`.

Times: every instant is an aware UTC ``datetime``; series start times, quiet hours and
campaign windows are local Vietnam wall-clock times (``datetime.time``, no tzinfo) and days are
local dates. Conversions go through :mod:`scheduler.timeutil` (``LOCAL_TZ``, ``as_utc``,
``to_local``). A session belongs to the local day on which it *starts*, even when it runs past
midnight.

Rules (each has tests in ``tests/test_schedule.py``; the reasons are in
``docs/architecture.md``, "The schedule model"):

* **Occurrences.** A :class:`SessionSeries` runs on its weekdays (Monday = 0) between
  ``valid_from`` and ``valid_until`` (both inclusive; ``None`` = open), if enabled. Its
  occurrence on local date D has the key ``"series:<id>:<D>"``; a one-off has ``"oneoff:<id>"``.
  The key never changes when the occurrence is moved, extended or given other items — the
  engine uses it so nothing plays twice.
* **Changes.** An :class:`OccurrenceChange` alters one occurrence (cancel, move to any
  instant — also another day —, extend, replace items) and leaves the series alone. A moved
  occurrence appears on the day it now starts. A change for a date on which the series does
  not run is reported (``change_orphan``) and otherwise ignored.
* **Air order** of a session: the station-ID jingle (when the schedule has one and the
  session wants it), then the priority bulletins ordered by the operator's rank (lower
  first; equal ranks keep their order), then the session's own items in their order, then
  the campaign bulletins of that session (in campaign order). Campaign bulletins go last so
  that the operator's own items keep their planned offsets (a relay of the 06:00 news starts
  when planned); a campaign that makes the session too long shows up as an overrun in
  :func:`check`. A priority bulletin brought by a campaign joins the priority block.
* **Campaigns.** A campaign applies to a session when the session's day is between its first
  and last day, the session is one of its series (``None`` = every session, one-offs
  included) and the session's local start time is inside its window (inclusive at both ends,
  may cross midnight; ``None`` = any time). A bulletin already in the session is not added
  again. ``max_per_day`` counts every planned airing of that bulletin on that day — also the
  ones the operator put in sessions himself — in start order; a campaign adds the bulletin
  only while the day's count is below it. Sessions silenced by quiet hours receive nothing
  and count nothing.
* **Bulletin levels** (Circular 39/2020/TT-BTTTT). Normal bulletins are placed where the
  schedule says. Priority bulletins go first (see air order). Emergency bulletins are never
  scheduled: they are *triggered* (``loaxa emergency``) and interrupt whatever is on air, so
  one found in a session or a campaign is dropped and reported (``emergency_in_session``).
* **Validity.** A bulletin whose validity dates exclude the session's day is dropped from that
  session and reported (``bulletin_expired`` / ``bulletin_not_yet_valid``).
* **Quiet hours** (local windows, start inclusive, end exclusive, may cross midnight). A
  session that *starts* inside quiet hours is silenced: all its items are blocked. A session
  that starts before quiet hours and runs into them stops there: the item on air when quiet
  hours begin plays to its end, every later item is blocked (skipped items take no time, so
  letting a later item play would start it inside quiet hours). The engine logs blocked items
  ``skipped``; it may check again at play time with :meth:`QuietHours.contains`. Emergency
  bulletins are not affected (they are never in sessions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from media.errors import LoaxaError
from scheduler.records import Level
from scheduler.timeutil import LOCAL_TZ, as_utc, to_local

EVERY_DAY: frozenset[int] = frozenset(range(7))
"""Weekdays of a daily series ("hằng ngày"); Monday = 0 … Sunday = 6."""
MONDAY_TO_SATURDAY: frozenset[int] = frozenset(range(6))
"""Weekdays "thứ Hai–thứ Bảy"."""

#: Longest session accepted (seconds): a full day. Anything longer is a typing error.
MAX_LENGTH = 24 * 3600


class ItemKind(StrEnum):
    JINGLE = "jingle"  # a short audio asset: station identification or a separator
    BULLETIN = "bulletin"  # a bulletin's rendered audio
    AUDIO = "audio"  # an operator audio file (an audio asset)
    RELAY = "relay"  # a live stream relayed for a fixed duration, with an optional fallback


class Origin(StrEnum):
    """Why a planned item is in its session."""

    STATION_ID = "station_id"  # the schedule's station-ID jingle, first in the session
    SESSION = "session"  # the session's own item list
    CAMPAIGN = "campaign"  # added by a campaign
    FALLBACK = "fallback"  # what plays when a relay fails


class Severity(StrEnum):
    ERROR = "error"  # would fail on air (dead air, a skipped item, a late session)
    WARNING = "warning"  # plays, but not as the operator probably meant


def _bad(code: str, **params: Any) -> LoaxaError:
    return LoaxaError(code, **params)


def _check_length(seconds: int | float) -> None:
    if not 0 < seconds <= MAX_LENGTH:
        raise _bad("schedule_bad_length", seconds=seconds)


def _aware_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise _bad("schedule_naive_time", value=moment.isoformat())
    return as_utc(moment)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One item of a session as the operator planned it.

    ``kind`` decides which field is used: ``bulletin_id`` (bulletin), ``audio_id`` (audio; a
    jingle too, where ``None`` means the schedule's station-ID jingle), ``url`` and
    ``duration`` seconds (relay; ``fallback`` plays when the stream fails). Build them with
    :meth:`bulletin`, :meth:`audio`, :meth:`jingle` and :meth:`relay`.
    """

    kind: ItemKind
    bulletin_id: int | None = None
    audio_id: int | None = None
    url: str = ""
    duration: float | None = None
    fallback: ItemSpec | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ItemKind(self.kind))
        if self.kind is ItemKind.BULLETIN and self.bulletin_id is None:
            raise _bad("schedule_bad_item", kind=self.kind.value)
        if self.kind is ItemKind.AUDIO and self.audio_id is None:
            raise _bad("schedule_bad_item", kind=self.kind.value)
        if self.kind is ItemKind.RELAY:
            if not self.url.strip() or self.duration is None:
                raise _bad("schedule_bad_item", kind=self.kind.value)
            _check_length(self.duration)
            if self.fallback is not None and self.fallback.kind is ItemKind.RELAY:
                raise _bad("schedule_bad_item", kind=self.kind.value)
        elif self.fallback is not None:
            raise _bad("schedule_bad_item", kind=self.kind.value)

    @classmethod
    def bulletin(cls, bulletin_id: int) -> ItemSpec:
        return cls(ItemKind.BULLETIN, bulletin_id=bulletin_id)

    @classmethod
    def audio(cls, audio_id: int) -> ItemSpec:
        return cls(ItemKind.AUDIO, audio_id=audio_id)

    @classmethod
    def jingle(cls, audio_id: int | None = None) -> ItemSpec:
        return cls(ItemKind.JINGLE, audio_id=audio_id)

    @classmethod
    def relay(cls, url: str, seconds: float, fallback: ItemSpec | None = None) -> ItemSpec:
        return cls(ItemKind.RELAY, url=url, duration=seconds, fallback=fallback)


@dataclass(frozen=True, slots=True)
class BulletinInfo:
    """What the schedule needs to know about a bulletin (the database fills it in)."""

    id: int
    title: str
    level: Level = Level.NORMAL
    priority_rank: int = 0  # order among priority bulletins, lower first
    rendered: bool = False  # its audio is made and matches its current text
    duration: float | None = None  # seconds of audio, None when not rendered
    audio_present: bool = False  # the audio file exists in the store
    valid_from: date | None = None  # local dates, inclusive; None = open
    valid_until: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level(self.level))

    def valid_on(self, day: date) -> bool:
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_until is None or day <= self.valid_until))


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """An operator audio file or jingle (an audio asset)."""

    id: int
    title: str
    duration: float | None  # seconds
    present: bool = True  # the file exists in the store


@dataclass(frozen=True, slots=True)
class SessionSeries:
    """A recurring session ("buổi phát"), e.g. "Sáng 06:00 hằng ngày"."""

    id: int
    title: str
    start: time  # local Vietnam wall-clock time, no tzinfo
    weekdays: frozenset[int]  # 0 = Monday … 6 = Sunday; EVERY_DAY for "hằng ngày"
    valid_from: date
    valid_until: date | None  # inclusive; None = no end
    length: int  # planned length, seconds
    items: tuple[ItemSpec, ...] = ()
    enabled: bool = True
    station_id: bool = True  # open with the schedule's station-ID jingle

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "items", tuple(self.items))
        if not self.weekdays or not self.weekdays <= EVERY_DAY:
            raise _bad("schedule_bad_weekdays", title=self.title)
        if self.start.tzinfo is not None:
            raise _bad("schedule_naive_time", value=self.start.isoformat())
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise _bad("bad_range", start=self.valid_from.isoformat(),
                       end=self.valid_until.isoformat())
        _check_length(self.length)

    def runs_on(self, day: date) -> bool:
        """True when the series has an occurrence on local date ``day``."""
        return (self.enabled and day.weekday() in self.weekdays and self.valid_from <= day
                and (self.valid_until is None or day <= self.valid_until))


@dataclass(frozen=True, slots=True)
class OneOffSession:
    """A session that happens once."""

    id: int
    start: datetime  # aware; kept in UTC
    title: str
    length: int  # planned length, seconds
    items: tuple[ItemSpec, ...] = ()
    station_id: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _aware_utc(self.start))
        object.__setattr__(self, "items", tuple(self.items))
        _check_length(self.length)


@dataclass(frozen=True, slots=True)
class OccurrenceChange:
    """A change to one occurrence of a series; the series itself is untouched.

    ``day`` is the occurrence's original local date. Set any of: ``cancel``; ``move_to`` (new
    start, aware); ``length`` (new planned length, e.g. an extension); ``items`` (new item
    list). Several changes for one occurrence are applied in order, later ones winning.
    """

    series_id: int
    day: date
    cancel: bool = False
    move_to: datetime | None = None
    length: int | None = None
    items: tuple[ItemSpec, ...] | None = None

    def __post_init__(self) -> None:
        if self.move_to is not None:
            object.__setattr__(self, "move_to", _aware_utc(self.move_to))
        if self.length is not None:
            _check_length(self.length)
        if self.items is not None:
            object.__setattr__(self, "items", tuple(self.items))

    @property
    def key(self) -> str:
        return series_key(self.series_id, self.day)


@dataclass(frozen=True, slots=True)
class Campaign:
    """"Bulletin X in every morning session from A to B, at most N times a day"."""

    id: int
    bulletin_id: int
    first_day: date  # local dates, inclusive
    last_day: date
    series_ids: frozenset[int] | None = None  # None = every session (one-offs too)
    window: tuple[time, time] | None = None  # local start-time window, inclusive both ends
    max_per_day: int | None = None  # None = unlimited

    def __post_init__(self) -> None:
        if self.series_ids is not None:
            object.__setattr__(self, "series_ids", frozenset(self.series_ids))
        if self.last_day < self.first_day:
            raise _bad("bad_range", start=self.first_day.isoformat(),
                       end=self.last_day.isoformat())
        if self.max_per_day is not None and self.max_per_day < 1:
            raise _bad("schedule_bad_cap", value=self.max_per_day)

    def applies_to(self, session: PlannedSession) -> bool:
        if not self.first_day <= session.day <= self.last_day:
            return False
        if self.series_ids is not None and (session.source != "series"
                                            or session.source_id not in self.series_ids):
            return False
        if self.window is None:
            return True
        begin, end = self.window
        moment = to_local(session.start).time()
        if begin <= end:
            return begin <= moment <= end
        return moment >= begin or moment <= end


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local windows with no normal or priority playback; emergencies still play.

    Each window is (start, end): start inclusive, end exclusive; start > end crosses
    midnight (22:00–05:00).
    """

    windows: tuple[tuple[time, time], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "windows", tuple(tuple(w) for w in self.windows))
        for begin, end in self.windows:
            if begin == end or begin.tzinfo is not None or end.tzinfo is not None:
                raise _bad("schedule_bad_quiet_hours", start=begin.isoformat(),
                           end=end.isoformat())

    def contains_local(self, moment: time) -> bool:
        for begin, end in self.windows:
            if begin < end:
                if begin <= moment < end:
                    return True
            elif moment >= begin or moment < end:
                return True
        return False

    def contains(self, instant: datetime) -> bool:
        """True when the aware ``instant`` falls inside quiet hours (Vietnam time)."""
        return bool(self.windows) and self.contains_local(to_local(instant).time())


@dataclass(frozen=True)
class Schedule:
    """Everything the resolution needs; built by the database layer, never changed."""

    series: tuple[SessionSeries, ...] = ()
    one_offs: tuple[OneOffSession, ...] = ()
    changes: tuple[OccurrenceChange, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    bulletins: Mapping[int, BulletinInfo] = field(default_factory=dict)
    audio: Mapping[int, AudioInfo] = field(default_factory=dict)
    quiet_hours: QuietHours = QuietHours()
    station_jingle_id: int | None = None  # audio asset played first in every session


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One concrete item of a planned session, in air order."""

    position: int  # 0-based air order in the session
    kind: ItemKind
    origin: Origin
    title: str
    duration: float | None  # expected seconds; None when unknown (not rendered, unknown asset)
    offset: float  # planned start, seconds after the session's start
    bulletin_id: int | None = None
    audio_id: int | None = None
    url: str = ""
    level: Level | None = None  # bulletins only
    ready: bool = True  # its audio exists (a relay is always ready; its fallback may not be)
    known: bool = True  # the bulletin or asset it names exists
    rendered: bool = True  # bulletins: audio made for the current text
    blocked: bool = False  # inside quiet hours: the engine logs it skipped
    campaign_id: int | None = None
    fallback: PlannedItem | None = None


@dataclass(frozen=True, slots=True)
class DroppedBulletin:
    """A bulletin left out of a session, and why."""

    bulletin_id: int
    title: str
    reason: str  # "expired" | "not_yet_valid" | "emergency"
    origin: Origin
    campaign_id: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """One concrete session of the timeline."""

    key: str  # occurrence key: "series:3:2026-12-01" or "oneoff:12"; stable under changes
    source: str  # "series" | "oneoff"
    source_id: int
    title: str
    start: datetime  # aware UTC
    length: int  # planned length, seconds
    day: date  # local day of ``start``: the day the session belongs to
    occurrence_day: date | None = None  # series: the original local date of the occurrence
    items: tuple[PlannedItem, ...] = ()
    dropped: tuple[DroppedBulletin, ...] = ()
    moved: bool = False
    changed: bool = False  # extended or given other items by an OccurrenceChange
    silenced: bool = False  # starts inside quiet hours: every item blocked
    cut_at: int | None = None  # position of the first item blocked by quiet hours

    @property
    def planned_end(self) -> datetime:
        return self.start + timedelta(seconds=self.length)

    @property
    def expected_length(self) -> float:
        """Seconds of the items that will play (known durations, blocked items excluded)."""
        return sum(item.duration or 0.0 for item in self.items if not item.blocked)

    @property
    def expected_end(self) -> datetime:
        return self.start + timedelta(seconds=self.expected_length)


@dataclass(frozen=True, slots=True)
class Timeline:
    """The sessions of the local days ``first`` … ``last``, in start order."""

    first: date
    last: date
    sessions: tuple[PlannedSession, ...] = ()
    cancelled: tuple[str, ...] = ()  # occurrence keys cancelled on these days
    orphan_changes: tuple[OccurrenceChange, ...] = ()  # changes naming no occurrence

    def session(self, key: str) -> PlannedSession | None:
        for planned in self.sessions:
            if planned.key == key:
                return planned
        return None


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding of :func:`check`; ``code`` is a message key of ``app/i18n.py``
    (prefixed ``check_``), ``params`` its parameters."""

    severity: Severity
    code: str
    key: str  # occurrence key ("" when it concerns no session)
    position: int | None = None  # the item, when it concerns one
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


def series_key(series_id: int, day: date) -> str:
    return f"series:{series_id}:{day.isoformat()}"


def oneoff_key(oneoff_id: int) -> str:
    return f"oneoff:{oneoff_id}"


def local_start(day: date, moment: time) -> datetime:
    """Aware UTC instant of local wall-clock ``moment`` on local ``day``."""
    return as_utc(datetime.combine(day, moment, LOCAL_TZ))
