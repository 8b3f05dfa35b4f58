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
  engine uses it so nothing plays twice. A planned length of 0 means "as long as its items".
* **Changes.** An :class:`OccurrenceChange` alters one occurrence (cancel, move to any
  instant — also another day —, extend, replace items) and leaves the series alone. A moved
  occurrence appears on the day it now starts. A change for a date on which the series does
  not run is reported (``check_change_orphan``) and otherwise ignored.
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
  one found in a session or a campaign is dropped and reported (``check_emergency_in_session``).
* **Validity.** A bulletin whose validity dates exclude the session's day is dropped from that
  session and reported (``check_bulletin_expired`` / ``check_bulletin_not_yet_valid``).
* **Quiet hours** (local windows, start inclusive, end exclusive, may cross midnight). A
  session that *starts* inside quiet hours is silenced: all its items are blocked. A session
  that starts before quiet hours and runs into them stops there: the item on air when quiet
  hours begin plays to its end, every later item is blocked (skipped items take no time, so
  letting a later item play would start it inside quiet hours). The engine logs blocked items
  ``skipped``; it may check again at play time with :meth:`QuietHours.contains`. Emergency
  bulletins are not affected (they are never in sessions).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from media.errors import LoaxaError
from scheduler.records import Level
from scheduler.timeutil import LOCAL_TZ, as_utc, to_local

__all__ = [
    "EVERY_DAY", "MAX_LENGTH", "MONDAY_TO_SATURDAY", "AudioInfo", "BulletinInfo", "Campaign",
    "DroppedBulletin", "ItemKind", "ItemSpec", "OccurrenceChange", "OneOffSession", "Origin",
    "PlannedItem", "PlannedSession", "Problem", "QuietHours", "Schedule", "SessionSeries",
    "Severity", "Timeline", "campaign_key", "check", "check_day", "check_range", "due_sessions",
    "has_errors", "local_start", "next_session", "next_start", "oneoff_key", "resolve_day",
    "resolve_range", "series_key", "sessions_between",
]

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


def _check_length(seconds: int | float, zero_ok: bool = False) -> None:
    if not (0 <= seconds if zero_ok else 0 < seconds) or seconds > MAX_LENGTH:
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
    approved: bool = True  # approved for air (its current level and text)

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
    length: int  # planned length, seconds; 0 = as long as its items
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
        _check_length(self.length, zero_ok=True)

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
    length: int  # planned length, seconds; 0 = as long as its items
    items: tuple[ItemSpec, ...] = ()
    station_id: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _aware_utc(self.start))
        object.__setattr__(self, "items", tuple(self.items))
        _check_length(self.length, zero_ok=True)


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
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.series_ids is not None:
            object.__setattr__(self, "series_ids", frozenset(self.series_ids))
        if self.last_day < self.first_day:
            raise _bad("bad_range", start=self.first_day.isoformat(),
                       end=self.last_day.isoformat())
        if self.max_per_day is not None and self.max_per_day < 1:
            raise _bad("schedule_bad_cap", value=self.max_per_day)

    def matches(self, day: date, moment: time, series_id: int | None) -> bool:
        """True when a session starting at local time ``moment`` on local ``day`` gets this
        campaign; ``series_id`` is None for a one-off."""
        if not self.enabled or not self.first_day <= day <= self.last_day:
            return False
        if self.series_ids is not None and series_id not in self.series_ids:
            return False
        if self.window is None:
            return True
        begin, end = self.window
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

    def next_begin(self, after: datetime) -> datetime | None:
        """The first instant at or after the aware ``after`` that is inside quiet hours
        (``after`` itself when it is inside), in UTC; None without windows."""
        if not self.windows:
            return None
        after = _aware_utc(after)
        if self.contains(after):
            return after
        today = to_local(after).date()
        candidates = [local_start(today + timedelta(days=extra), begin)
                      for begin, _ in self.windows for extra in (0, 1)]
        return min(moment for moment in candidates if moment >= after)


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
    approved: bool = True  # bulletins: approved for air; the engine skips one that is not


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
    length: int  # planned length, seconds (the items' length when planned as 0)
    day: date  # local day of ``start``: the day the session belongs to
    occurrence_day: date | None = None  # series: the original local date of the occurrence
    items: tuple[PlannedItem, ...] = ()
    dropped: tuple[DroppedBulletin, ...] = ()
    moved: bool = False
    changed: bool = False  # extended or given other items by an OccurrenceChange
    silenced: bool = False  # starts inside quiet hours: every item blocked
    cut_at: int | None = None  # position of the first item blocked by quiet hours
    length_from_items: bool = False  # planned with length 0: ``length`` is its items' length

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
    (prefixed ``check_``), ``params`` its parameters, ready for ``tr(code, **params)``:
    ``title`` and ``start`` (local "YYYY-MM-DD HH:MM") of the session, and for an item
    ``item`` (its title) and ``position`` counted from 1 for people (``Problem.position``
    counts from 0 like :attr:`PlannedItem.position`)."""

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


# --------------------------------------------------------------------------- resolution


@dataclass(slots=True)
class _Change:
    """The changes of one occurrence, merged in order."""

    cancel: bool = False
    move_to: datetime | None = None
    length: int | None = None
    items: tuple[ItemSpec, ...] | None = None
    sources: list[OccurrenceChange] = field(default_factory=list)


@dataclass(slots=True)
class _Base:
    """A session before its items are planned."""

    key: str
    source: str
    source_id: int
    title: str
    start: datetime
    length: int
    occurrence_day: date | None
    items: tuple[ItemSpec, ...]
    station_id: bool
    moved: bool = False
    changed: bool = False


class _Index:
    """What resolving many days needs, computed once per call."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.series = {s.id: s for s in schedule.series}
        self.changes: dict[str, _Change] = {}
        for change in schedule.changes:
            merged = self.changes.setdefault(change.key, _Change())
            merged.sources.append(change)
            merged.cancel = merged.cancel or change.cancel
            if change.move_to is not None:
                merged.move_to = change.move_to
            if change.length is not None:
                merged.length = change.length
            if change.items is not None:
                merged.items = change.items
        # occurrences moved to another local day, by that day; changes naming no occurrence
        self.moved_in: dict[date, list[tuple[SessionSeries, date, _Change]]] = {}
        self.orphans: dict[date, list[OccurrenceChange]] = {}
        for merged in self.changes.values():
            first = merged.sources[0]
            series = self.series.get(first.series_id)
            if series is None or not series.runs_on(first.day):
                self.orphans.setdefault(first.day, []).extend(merged.sources)
                continue
            if merged.cancel or merged.move_to is None:
                continue
            new_day = to_local(merged.move_to).date()
            if new_day != first.day:
                self.moved_in.setdefault(new_day, []).append((series, first.day, merged))
        self.one_offs: dict[date, list[OneOffSession]] = {}
        for one_off in schedule.one_offs:
            self.one_offs.setdefault(to_local(one_off.start).date(), []).append(one_off)

    def occurrence(self, series: SessionSeries, day: date,
                   change: _Change | None) -> _Base:
        base = _Base(key=series_key(series.id, day), source="series", source_id=series.id,
                     title=series.title, start=local_start(day, series.start),
                     length=series.length, occurrence_day=day, items=series.items,
                     station_id=series.station_id)
        if change is not None:
            if change.move_to is not None and change.move_to != base.start:
                base.start = change.move_to
                base.moved = True
            if change.length is not None and change.length != base.length:
                base.length = change.length
                base.changed = True
            if change.items is not None:
                base.items = change.items
                base.changed = True
        return base

    def day(self, day: date) -> tuple[list[_Base], list[str]]:
        """The sessions starting on local ``day`` (unordered) and the keys cancelled."""
        bases: list[_Base] = []
        cancelled: list[str] = []
        for series in self.schedule.series:
            if not series.runs_on(day):
                continue
            key = series_key(series.id, day)
            change = self.changes.get(key)
            if change is not None:
                if change.cancel:
                    cancelled.append(key)
                    continue
                if change.move_to is not None and to_local(change.move_to).date() != day:
                    continue  # it now starts on another day and belongs there
            bases.append(self.occurrence(series, day, change))
        for series, original, change in self.moved_in.get(day, ()):
            bases.append(self.occurrence(series, original, change))
        for one_off in self.one_offs.get(day, ()):
            bases.append(_Base(key=oneoff_key(one_off.id), source="oneoff",
                               source_id=one_off.id, title=one_off.title,
                               start=one_off.start, length=one_off.length,
                               occurrence_day=None, items=one_off.items,
                               station_id=one_off.station_id))
        return bases, cancelled


@dataclass(slots=True)
class _Draft:
    """A planned item before its position, offset and blocking are known."""

    kind: ItemKind
    origin: Origin
    title: str
    duration: float | None
    bulletin_id: int | None = None
    audio_id: int | None = None
    url: str = ""
    level: Level | None = None
    ready: bool = True
    known: bool = True
    rendered: bool = True
    campaign_id: int | None = None
    fallback: _Draft | None = None
    rank: int = 0
    approved: bool = True


class _Planner:
    """Turns the specs of one session into drafts, dropping what must not air that day."""

    def __init__(self, schedule: Schedule, day: date) -> None:
        self.schedule = schedule
        self.day = day
        self.dropped: list[DroppedBulletin] = []

    def bulletin(self, bulletin_id: int, origin: Origin,
                 campaign_id: int | None = None) -> _Draft | None:
        info = self.schedule.bulletins.get(bulletin_id)
        if info is None:
            return _Draft(ItemKind.BULLETIN, origin, "", None, bulletin_id=bulletin_id,
                          ready=False, known=False, rendered=False, campaign_id=campaign_id)
        reason = None
        if info.level is Level.EMERGENCY:
            reason = "emergency"
        elif info.valid_from is not None and self.day < info.valid_from:
            reason = "not_yet_valid"
        elif info.valid_until is not None and self.day > info.valid_until:
            reason = "expired"
        if reason is not None:
            self.dropped.append(DroppedBulletin(info.id, info.title, reason, origin,
                                                campaign_id, info.valid_from, info.valid_until))
            return None
        return _Draft(ItemKind.BULLETIN, origin, info.title,
                      info.duration if info.rendered else None, bulletin_id=info.id,
                      level=info.level, ready=info.rendered and info.audio_present,
                      rendered=info.rendered, campaign_id=campaign_id,
                      rank=info.priority_rank, approved=info.approved)

    def asset(self, kind: ItemKind, audio_id: int | None, origin: Origin) -> _Draft:
        info = self.schedule.audio.get(audio_id) if audio_id is not None else None
        if info is None:
            return _Draft(kind, origin, "", None, audio_id=audio_id, ready=False, known=False)
        return _Draft(kind, origin, info.title, info.duration, audio_id=info.id,
                      ready=info.present)

    def spec(self, spec: ItemSpec, origin: Origin) -> _Draft | None:
        if spec.kind is ItemKind.BULLETIN:
            assert spec.bulletin_id is not None  # checked by ItemSpec
            return self.bulletin(spec.bulletin_id, origin)
        if spec.kind is ItemKind.JINGLE:
            audio_id = spec.audio_id if spec.audio_id is not None \
                else self.schedule.station_jingle_id
            return self.asset(ItemKind.JINGLE, audio_id, origin)
        if spec.kind is ItemKind.AUDIO:
            return self.asset(ItemKind.AUDIO, spec.audio_id, origin)
        fallback = None if spec.fallback is None else self.spec(spec.fallback, Origin.FALLBACK)
        return _Draft(ItemKind.RELAY, origin, spec.url, spec.duration, url=spec.url,
                      fallback=fallback)


def _finish(draft: _Draft, position: int, offset: float, blocked: bool) -> PlannedItem:
    fallback = None
    if draft.fallback is not None:
        fallback = _finish(draft.fallback, position, offset, blocked)
    return PlannedItem(position=position, kind=draft.kind, origin=draft.origin,
                       title=draft.title, duration=draft.duration, offset=offset,
                       bulletin_id=draft.bulletin_id, audio_id=draft.audio_id, url=draft.url,
                       level=draft.level, ready=draft.ready, known=draft.known,
                       rendered=draft.rendered, blocked=blocked,
                       campaign_id=draft.campaign_id, fallback=fallback,
                       approved=draft.approved)


def _plan(schedule: Schedule, base: _Base, day: date, counts: dict[int, int]) -> PlannedSession:
    """Plan one session's items; ``counts`` (airings per bulletin that day) is updated."""
    quiet_begin = schedule.quiet_hours.next_begin(base.start)
    silenced = quiet_begin == base.start
    planner = _Planner(schedule, day)
    opening: list[_Draft] = []
    priority: list[_Draft] = []
    own: list[_Draft] = []
    added: list[_Draft] = []
    if base.station_id and schedule.station_jingle_id is not None:
        opening.append(planner.asset(ItemKind.JINGLE, schedule.station_jingle_id,
                                     Origin.STATION_ID))
    present: set[int] = set()
    for spec in base.items:
        draft = planner.spec(spec, Origin.SESSION)
        if draft is None:
            continue
        if draft.bulletin_id is not None and draft.kind is ItemKind.BULLETIN:
            present.add(draft.bulletin_id)
        (priority if draft.level is Level.PRIORITY else own).append(draft)
    if not silenced and schedule.campaigns:
        local_time = to_local(base.start).time()
        series_id = base.source_id if base.source == "series" else None
        for campaign in schedule.campaigns:
            bulletin_id = campaign.bulletin_id
            if bulletin_id in present or not campaign.matches(day, local_time, series_id):
                continue
            if campaign.max_per_day is not None and counts.get(bulletin_id, 0) \
                    >= campaign.max_per_day:
                continue
            draft = planner.bulletin(bulletin_id, Origin.CAMPAIGN, campaign.id)
            if draft is None:
                continue
            present.add(bulletin_id)
            (priority if draft.level is Level.PRIORITY else added).append(draft)
    priority.sort(key=lambda d: d.rank)  # stable: equal ranks keep their order
    drafts = opening + priority + own + added
    items: list[PlannedItem] = []
    offset = 0.0
    cut_at: int | None = None
    # seconds after the start at which quiet hours begin: items planned from then on are
    # blocked (once one is, all later ones are: the session stops there)
    quiet_after = None if quiet_begin is None else (quiet_begin - base.start).total_seconds()
    for position, draft in enumerate(drafts):
        blocked = quiet_after is not None and offset >= quiet_after
        if blocked and cut_at is None:
            cut_at = position
        items.append(_finish(draft, position, offset, blocked))
        offset += draft.duration or 0.0
    for item in items:
        if not item.blocked and item.kind is ItemKind.BULLETIN and item.bulletin_id is not None:
            counts[item.bulletin_id] = counts.get(item.bulletin_id, 0) + 1
    length = base.length
    if length == 0:
        length = math.ceil(sum(item.duration or 0.0 for item in items if not item.blocked))
    return PlannedSession(key=base.key, source=base.source, source_id=base.source_id,
                          title=base.title, start=base.start, length=length, day=day,
                          occurrence_day=base.occurrence_day, items=tuple(items),
                          dropped=tuple(planner.dropped), moved=base.moved,
                          changed=base.changed, silenced=silenced,
                          cut_at=None if silenced else cut_at,
                          length_from_items=base.length == 0)


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def resolve_range(schedule: Schedule, first: date, last: date) -> Timeline:
    """The concrete sessions of local days ``first`` … ``last`` (inclusive), in start order."""
    if last < first:
        raise _bad("bad_range", start=first.isoformat(), end=last.isoformat())
    index = _Index(schedule)
    sessions: list[PlannedSession] = []
    cancelled: list[str] = []
    orphans: list[OccurrenceChange] = []
    for day in _days(first, last):
        bases, gone = index.day(day)
        cancelled.extend(gone)
        orphans.extend(index.orphans.get(day, ()))
        bases.sort(key=lambda b: (b.start, b.key))
        counts: dict[int, int] = {}
        sessions.extend(_plan(schedule, base, day, counts) for base in bases)
    return Timeline(first=first, last=last, sessions=tuple(sessions),
                    cancelled=tuple(cancelled), orphan_changes=tuple(orphans))


def resolve_day(schedule: Schedule, day: date) -> Timeline:
    """The concrete sessions of local ``day`` (those that start on it), in start order."""
    return resolve_range(schedule, day, day)


# --------------------------------------------------------------------------- for the engine


def sessions_between(schedule: Schedule, start: datetime, end: datetime
                     ) -> tuple[PlannedSession, ...]:
    """The sessions whose start is in [``start``, ``end``), in start order."""
    start, end = _aware_utc(start), _aware_utc(end)
    if end <= start:
        return ()
    timeline = resolve_range(schedule, to_local(start).date(), to_local(end).date())
    return tuple(s for s in timeline.sessions if start <= s.start < end)


def due_sessions(schedule: Schedule, now: datetime, window: timedelta
                 ) -> tuple[PlannedSession, ...]:
    """The sessions whose start is ≤ ``now`` and no earlier than ``now - window`` (the
    engine's grace window), oldest first. ``now`` comes from the caller's clock.

    Silenced sessions are included: the engine logs their blocked items skipped. Which of
    them already played is the engine's business (by occurrence key)."""
    now = _aware_utc(now)
    timeline = resolve_range(schedule, to_local(now - window).date(), to_local(now).date())
    return tuple(s for s in timeline.sessions if now - window <= s.start <= now)


def next_session(schedule: Schedule, after: datetime, horizon_days: int = 400
                 ) -> PlannedSession | None:
    """The first session starting strictly after ``after`` within ``horizon_days`` local
    days, or None. Looks a week ahead first, then further."""
    after = _aware_utc(after)
    first = to_local(after).date()
    limit = first + timedelta(days=horizon_days)
    span = 7
    while first <= limit:
        last = min(first + timedelta(days=span - 1), limit)
        for session in resolve_range(schedule, first, last).sessions:
            if session.start > after:
                return session
        first = last + timedelta(days=1)
        span *= 4
    return None


def next_start(schedule: Schedule, after: datetime, horizon_days: int = 400
               ) -> datetime | None:
    """The start of :func:`next_session`, or None."""
    session = next_session(schedule, after, horizon_days)
    return None if session is None else session.start


# --------------------------------------------------------------------------- checking


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _when(moment: datetime) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def _item_problems(session: PlannedSession, item: PlannedItem, where: dict[str, Any],
                   fallback: bool = False) -> list[Problem]:
    """Findings on one item that will be tried on air."""
    severity = Severity.WARNING if fallback else Severity.ERROR
    params = {**where, "item": item.title, "position": item.position + 1,
              "bulletin": item.bulletin_id, "audio": item.audio_id}
    prefix = "check_fallback_" if fallback else "check_"
    found: list[Problem] = []
    if not item.known:
        code = "bulletin_unknown" if item.kind is ItemKind.BULLETIN else "audio_unknown"
        found.append(Problem(severity, prefix + code, session.key, item.position, params))
    elif item.kind is ItemKind.BULLETIN and not item.rendered:
        found.append(Problem(severity, prefix + "not_rendered", session.key, item.position,
                             params))
    elif not item.ready:
        found.append(Problem(severity, prefix + "file_missing", session.key, item.position,
                             params))
    if item.known and item.kind is ItemKind.BULLETIN and not item.approved:
        found.append(Problem(severity, prefix + "not_approved", session.key, item.position,
                             params))
    if item.kind is ItemKind.RELAY:
        if item.fallback is None:
            found.append(Problem(Severity.WARNING, "check_relay_no_fallback", session.key,
                                 item.position, params))
        else:
            found.extend(_item_problems(session, item.fallback, where, fallback=True))
    return found


_DROPPED_CODES = {"expired": "check_bulletin_expired",
                  "not_yet_valid": "check_bulletin_not_yet_valid",
                  "emergency": "check_emergency_in_session"}


def _session_problems(session: PlannedSession) -> list[Problem]:
    where = {"title": session.title, "start": _when(session.start)}
    found: list[Problem] = []
    for dropped in session.dropped:
        code = _DROPPED_CODES[dropped.reason]
        found.append(Problem(Severity.WARNING, code, session.key, None, {
            **where, "bulletin": dropped.bulletin_id, "item": dropped.title,
            "valid_from": dropped.valid_from.isoformat() if dropped.valid_from else "",
            "valid_until": dropped.valid_until.isoformat() if dropped.valid_until else ""}))
    content = [item for item in session.items if item.origin is not Origin.STATION_ID]
    if not content:
        found.append(Problem(Severity.ERROR, "check_session_empty", session.key, None, where))
    if session.silenced:
        found.append(Problem(Severity.WARNING, "check_quiet_hours_silenced", session.key,
                             None, where))
        return found
    if session.cut_at is not None:
        blocked = [item for item in session.items if item.blocked]
        found.append(Problem(Severity.WARNING, "check_quiet_hours_cut", session.key,
                             session.cut_at, {**where, "count": len(blocked),
                                              "position": session.cut_at + 1,
                                              "at": _when(session.start + timedelta(
                                                  seconds=blocked[0].offset))}))
    for item in session.items:
        if not item.blocked:
            found.extend(_item_problems(session, item, where))
    if session.expected_length > session.length:
        found.append(Problem(Severity.WARNING, "check_session_overrun", session.key, None, {
            **where, "expected": _clock(session.expected_length),
            "planned": _clock(session.length)}))
    return found


def check(timelines: Timeline | Iterable[Timeline]) -> list[Problem]:
    """Everything that would fail on air (``error``) or looks unintended (``warning``) in
    the given timelines, in start order.

    Per session: empty (no item besides the station-ID jingle), silenced or cut by quiet
    hours, bulletins dropped (expired, not yet valid, emergency), unknown bulletins or audio,
    bulletins not rendered, audio files missing, relays without a (ready) fallback, items
    longer than the planned length. Between sessions (silenced ones play nothing and are
    left out): a session starting before an earlier one's planned end (``session_overlap``)
    or before the earlier one's items end (``runs_into_next``); both are keyed on the later
    session, the one that would start late. Changes naming no occurrence are reported too.
    """
    if isinstance(timelines, Timeline):
        timelines = (timelines,)
    sessions: dict[str, PlannedSession] = {}
    orphans: dict[tuple[str, OccurrenceChange], None] = {}
    for timeline in timelines:
        for session in timeline.sessions:
            sessions.setdefault(session.key, session)
        for change in timeline.orphan_changes:
            orphans[(change.key, change)] = None
    ordered = sorted(sessions.values(), key=lambda s: (s.start, s.key))
    found: list[tuple[tuple[datetime, str, int], Problem]] = []

    def add(session_start: datetime, problem: Problem) -> None:
        position = -1 if problem.position is None else problem.position
        found.append(((session_start, problem.key, position), problem))

    previous: PlannedSession | None = None
    for session in ordered:
        for problem in _session_problems(session):
            add(session.start, problem)
        if session.silenced:
            continue
        if previous is not None:
            params = {"title": session.title, "start": _when(session.start),
                      "other": previous.title, "other_start": _when(previous.start),
                      "other_key": previous.key}
            if session.start < previous.planned_end:
                add(session.start, Problem(Severity.ERROR, "check_session_overlap",
                                           session.key, None,
                                           {**params, "other_end": _when(previous.planned_end)}))
            elif session.start < previous.expected_end:
                add(session.start, Problem(Severity.ERROR, "check_runs_into_next",
                                           session.key, None,
                                           {**params, "other_end": _when(previous.expected_end)}))
        if previous is None or max(session.planned_end, session.expected_end) > max(
                previous.planned_end, previous.expected_end):
            previous = session
    for key, change in orphans:
        add(local_start(change.day, time(0)), Problem(
            Severity.WARNING, "check_change_orphan", key, None,
            {"series": change.series_id, "day": change.day.isoformat()}))
    found.sort(key=lambda pair: pair[0])
    return [problem for _, problem in found]


def check_range(schedule: Schedule, first: date, last: date) -> list[Problem]:
    """:func:`check` for local days ``first`` … ``last``; the day before is resolved too,
    so a session of the evening before that runs into ``first`` is seen. Then, day by day,
    the campaigns that match no session that plays (``check_campaign_no_session``)."""
    if last < first:
        raise _bad("bad_range", start=first.isoformat(), end=last.isoformat())
    timeline = resolve_range(schedule, first - timedelta(days=1), last)
    wanted = {s.key for s in timeline.sessions if first <= s.day <= last}
    wanted.update(c.key for c in timeline.orphan_changes if first <= c.day <= last)
    problems = [problem for problem in check(timeline) if problem.key in wanted]
    return problems + _campaign_problems(schedule, timeline, first, last)


def campaign_key(campaign_id: int, day: date) -> str:
    """The key of a finding about one campaign on one local day."""
    return f"campaign:{campaign_id}:{day.isoformat()}"


def _campaign_problems(schedule: Schedule, timeline: Timeline, first: date,
                       last: date) -> list[Problem]:
    """A campaign whose filter matches no session that plays on one of its days: the
    bulletin cannot go out that day (``check_campaign_no_session``, a warning)."""
    found: list[Problem] = []
    active = [c for c in schedule.campaigns
              if c.enabled and c.first_day <= last and first <= c.last_day]
    if not active:
        return found
    by_day: dict[date, list[tuple[time, int | None]]] = {}
    for session in timeline.sessions:
        if not session.silenced:
            series_id = session.source_id if session.source == "series" else None
            by_day.setdefault(session.day, []).append((to_local(session.start).time(),
                                                       series_id))
    for day in _days(first, last):
        for campaign in active:
            if not campaign.first_day <= day <= campaign.last_day:
                continue
            if not any(campaign.matches(day, moment, series_id)
                       for moment, series_id in by_day.get(day, ())):
                found.append(Problem(Severity.WARNING, "check_campaign_no_session",
                                     campaign_key(campaign.id, day), None,
                                     {"campaign": campaign.id,
                                      "bulletin": campaign.bulletin_id,
                                      "day": day.isoformat()}))
    return found


def check_day(schedule: Schedule, day: date) -> list[Problem]:
    """:func:`check_range` for one local day (what ``loaxa check --date`` reports)."""
    return check_range(schedule, day, day)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.severity is Severity.ERROR for problem in problems)
