"""The playout engine: plays each occurrence of the schedule at its second, emergencies at
once, and writes the broadcast log.

Rules kept here (each tested with a fake clock and a fake player, tests/test_playout_*.py):
- the schedule (series, one-offs, changes, campaigns, priorities, quiet hours) is resolved
  into concrete sessions by the pure functions of scheduler/schedule.py; it is read again
  whenever the database says something changed, so changes need no restart;
- every item's log entry is written ('playing') before it starts and completed after, each
  committed at once; the occurrence key (``series:3:2026-12-01``, ``oneoff:12``) and the
  item's position make sure nothing is played twice;
- before a session the output is checked: with none, the items are logged failed, never
  played, and an alarm is raised;
- a missing or corrupt file is skipped with a log entry and the session goes on; a failed
  relay plays its fallback, or the session goes on to the next item;
- items inside quiet hours are logged skipped; emergencies ignore quiet hours;
- a normal or priority bulletin not approved for air (its current level and text) is never
  played: it is logged skipped (``not_approved``), asked of the database at play time;
  emergencies play unapproved, and their entry says who triggered them;
- an emergency interrupts what is on air (logged interrupted), plays, then the session
  resumes from the start of the interrupted item; a repeating emergency plays again every N
  minutes until cancelled;
- a process that died mid-item leaves a 'playing' entry: at the next start it becomes
  'interrupted' and its session resumes from that item while inside the grace window;
  sessions that passed while the engine was down are played late inside the grace window,
  otherwise logged missed;
- the amplifiers are switched on before a session and off after it (optional commands).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from media.errors import LoaxaError
from media.store import AssetStore
from scheduler import schedule as sched
from scheduler.amplifier import Amplifier
from scheduler.clock import Clock
from scheduler.persistence import Database
from scheduler.persistence.schedule_db import Emergency
from scheduler.player import Clip, Player, PlayResult
from scheduler.records import Level, LogStatus

log = logging.getLogger(__name__)

# Reason codes written in the log (worded for people by the app).
NO_OUTPUT = "no_output"
OUTPUT_LOST = "output_lost"
PROCESS_STOPPED = "process_stopped"
ENGINE_STOPPED = "engine_stopped"
NOT_RENDERED = "not_rendered"
BULLETIN_MISSING = "bulletin_missing"
MISSED_WHILE_DOWN = "missed_while_down"
QUIET_HOURS = "quiet_hours"
EMERGENCY = "emergency_interrupt"
AMPLIFIER_FAILED = "amplifier_failed"
STREAM_FAILED = "stream_failed"
NOT_APPROVED = "not_approved"


@dataclass(frozen=True)
class EngineConfig:
    grace: timedelta = timedelta(minutes=15)
    preroll: timedelta = timedelta(seconds=5)
    poll: timedelta = timedelta(seconds=1)
    idle_horizon: timedelta = timedelta(minutes=5)
    heartbeat: timedelta = timedelta(seconds=60)
    # After a power cut, how far back sessions are looked for (to log them missed).
    max_lookback: timedelta = timedelta(days=31)
    # A watcher thread looks for new emergencies this often while an item plays.
    watch_emergencies: bool = True
    emergency_poll_s: float = 0.3
    # The engine hands the first item to the player this much before its second, with the
    # second to place its first sample on (players that can, do; the others start at once).
    early: timedelta = timedelta(milliseconds=150)


@dataclass(frozen=True)
class _Ready:
    clip: Clip
    sha256: str


@dataclass(frozen=True)
class EngineEvent:
    kind: str  # alarm | item_started | item_finished | session_done | session_missed | emergency
    session_id: int  # the one-off's id, or 0
    detail: str = ""
    key: str = ""  # the occurrence key


@dataclass
class _Details:
    """What an entry records about the item, copied at air time."""

    title: str = ""
    bulletin_id: int | None = None
    level: str = ""
    category: str = ""
    document_ref: str = ""


class PlayoutEngine:
    def __init__(self, db: Database, store: AssetStore, player: Player, clock: Clock,
                 config: EngineConfig | None = None,
                 on_event: Callable[[EngineEvent], None] | None = None,
                 amplifier: Amplifier | None = None) -> None:
        self.db = db
        self.store = store
        self.player = player
        self.clock = clock
        self.config = config or EngineConfig()
        self.on_event = on_event
        self.amplifier = amplifier
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._halt = threading.Event()  # stops the item on air (engine stop or emergency)
        self._schedule: sched.Schedule | None = None
        self._revision: tuple | None = None
        self._next_cache: tuple[sched.Schedule, datetime | None, datetime] | None = None
        self._prepared: dict[tuple[str, int], _Ready | LoaxaError] = {}
        self._prepared_output: str | None = None
        self._lookback_from: datetime | None = None
        self._last_beat: datetime | None = None
        self._amp_off_at: datetime | None = None
        self._interruptible = False

    # -- control ----------------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        self._halt.set()
        self._wake.set()

    def wake(self) -> None:
        """Re-read the schedule now (it is re-read every poll interval anyway)."""
        self._wake.set()

    def poll_emergencies(self) -> bool:
        """Interrupts what is on air when an emergency is due; True when one is."""
        if self.db.due_emergencies(self.clock.now()):
            if self._interruptible:
                self._halt.set()
            self._wake.set()
            return True
        return False

    def _emit(self, kind: str, session_id: int = 0, detail: str = "", key: str = "") -> None:
        if kind == "alarm":
            log.error("ALARM %s: %s", key or session_id, detail)
        else:
            log.info("%s %s %s", kind, key or session_id, detail)
        if self.on_event is not None:
            try:
                self.on_event(EngineEvent(kind, session_id, detail, key))
            except Exception:
                log.exception("event handler failed")

    # -- main loop --------------------------------------------------------------------
    def recover(self) -> None:
        for entry in self.db.close_unfinished_entries(PROCESS_STOPPED):
            log.warning("entry %s (%s) was on air when the engine stopped: interrupted",
                        entry.id, entry.session_key or entry.session_id)

    def run(self, until_idle: bool = False) -> None:
        self.recover()
        now = self.clock.now()
        # Sessions since the engine was last alive (or the oldest one-off still pending)
        # are looked at: played late inside the grace window, otherwise logged missed.
        since = [t for t in (self.db.last_heartbeat(), self.db.oldest_pending_session(),
                             now - self.config.grace) if t is not None]
        self._lookback_from = max(min(since), now - self.config.max_lookback)
        watcher = None
        if self.config.watch_emergencies:
            watcher = threading.Thread(target=self._watch, name="emergency-watch", daemon=True)
            watcher.start()
        failures = 0
        try:
            while not self._stop.is_set():
                self._wake.clear()
                now = self.clock.now()
                try:
                    if self._step(now, until_idle):
                        return
                    failures = 0
                except Exception as exc:  # a locked or full disk, a lost database server …
                    # Log, raise the alarm and try again; the loop never dies of it.
                    failures += 1
                    detail = _reason(exc) if isinstance(exc, LoaxaError) else repr(exc)
                    log.exception("playout step failed (%d in a row)", failures)
                    self._emit("alarm", 0, detail)
                    backoff = self.config.poll * min(2 ** (failures - 1), 30)
                    self.clock.sleep_until(now + backoff, self._wake)
        finally:
            self._stop.set()
            if watcher is not None:
                watcher.join(2)
            self._amp_off()
            self.player.close()

    def _watch(self) -> None:
        """While an item plays, looks for emergencies (the main loop does when idle)."""
        while not self._stop.wait(self.config.emergency_poll_s):
            if not self._interruptible:
                continue
            try:
                self.poll_emergencies()
            except Exception:  # the main loop reports database trouble
                log.debug("emergency watch failed", exc_info=True)

    def _step(self, now: datetime, until_idle: bool) -> bool:
        """One turn of the loop; True when ``until_idle`` is satisfied."""
        if self._last_beat is None or now - self._last_beat >= self.config.heartbeat:
            self.db.beat(now)
            self._last_beat = now
        schedule = self._current_schedule()
        active = self.db.list_emergencies(active_only=True)
        if self.db.due_emergencies(now, active) and self._play_emergencies():
            return False
        due = self._due(schedule, now + self.config.early)
        if due:
            for planned in due:
                if self._stop.is_set():
                    break
                self._run_session(planned, schedule)
                # Decoded audio of items that did not play (blocked, skipped) is let go.
                for key in [k for k in self._prepared if k[0] == planned.key]:
                    del self._prepared[key]
            self._next_cache = None  # what was next has been played
            return False
        # Everything older than the grace window has a final state now.
        self._lookback_from = max(self._lookback_from or now, now - self.config.grace)
        upcoming = self._next_start(schedule, now)
        repeat = self.db.next_emergency_repeat(active)
        starts = [t for t in (upcoming, repeat) if t is not None]
        nearest = min(starts, default=None)
        if until_idle and (nearest is None or nearest - now > self.config.idle_horizon) \
                and self._amp_off_at is None:
            return True
        if self._amp_off_at is not None and now >= self._amp_off_at and (
                upcoming is None or upcoming - now > self._amp_lead()):
            self._amp_off()
        target = now + self.config.poll
        if self._amp_off_at is not None and self.amplifier is not None \
                and self.amplifier.is_on:
            target = min(target, max(now, self._amp_off_at))
        if upcoming is not None:
            ahead = max(self.config.preroll, self._amp_lead())
            if upcoming - now <= ahead:
                if upcoming - now <= self._amp_lead():
                    self._amp_on()
                if upcoming - now <= self.config.preroll:
                    self._prepare(schedule, upcoming)
                    target = upcoming - self.config.early
                else:
                    target = min(target, upcoming - self.config.preroll)
            else:
                target = min(target, upcoming - ahead)
        if repeat is not None:
            target = min(target, max(now, repeat))
        self.clock.sleep_until(target, self._wake)
        return False

    # -- the schedule -------------------------------------------------------------------
    def _current_schedule(self) -> sched.Schedule:
        revision = self.db.schedule_revision()
        if self._schedule is None or revision != self._revision:
            self._schedule = self.db.load_schedule(
                lambda rel: self.store.path_for(rel).is_file())
            self._revision = revision
            self._prepared.clear()  # decoded ahead from what may have changed
        return self._schedule

    def _next_start(self, schedule: sched.Schedule, now: datetime) -> datetime | None:
        """The next start of a session not yet played; worked out again only when the
        schedule changed or that start has come."""
        cached = self._next_cache
        if cached is not None and cached[0] is schedule and cached[2] <= now and (
                cached[1] is None or cached[1] > now):
            return cached[1]
        after, start = now, None
        while True:
            planned = sched.next_session(schedule, after)
            if planned is None:
                break
            if self.db.run_states([planned.key]).get(planned.key) not in ("done", "missed"):
                start = planned.start
                break
            after = planned.start
        self._next_cache = (schedule, start, now)
        return start

    def _due(self, schedule: sched.Schedule, now: datetime) -> list[sched.PlannedSession]:
        since = self._lookback_from or now - self.config.grace
        window = max(now - since, self.config.grace)
        candidates = sched.due_sessions(schedule, now, window)
        states = self.db.run_states(s.key for s in candidates)
        return [s for s in candidates if states.get(s.key) not in ("done", "missed")]

    # -- before a session ---------------------------------------------------------------
    def _prepare(self, schedule: sched.Schedule, start: datetime) -> None:
        """Before a session: check the output, decode its audio, open the output (kept
        warm), so that at the second only the log entry is committed before the sound."""
        output = self.player.output_name()
        self._prepared_output = output
        for planned in sched.sessions_between(schedule, start, start + timedelta(seconds=1)):
            for item in planned.items:
                key = (planned.key, item.position)
                if key in self._prepared or item.blocked or item.kind is sched.ItemKind.RELAY \
                        or not item.approved:
                    continue
                try:
                    self._prepared[key] = self._load(item)
                except LoaxaError as exc:
                    self._prepared[key] = exc
        if output is not None:
            try:
                warm = getattr(self.player, "warm", None)
                if warm is None:
                    self.player.open()
                elif not getattr(self.player, "is_warm", False):
                    warm(1.0)  # open, and learn the stream clock so the start is placed
            except LoaxaError as exc:
                log.warning("could not warm the output: %s", exc)

    def _load(self, item: sched.PlannedItem) -> _Ready:
        if item.kind is sched.ItemKind.BULLETIN:
            if item.bulletin_id is None:
                raise LoaxaError(BULLETIN_MISSING)
            bulletin = self.db.get_bulletin(item.bulletin_id)
            if bulletin.audio is None:
                raise LoaxaError(NOT_RENDERED)
            asset = bulletin.audio
        else:
            audio_id = item.audio_id
            if audio_id is None:
                raise LoaxaError("audio_asset_not_found", id="?")
            asset = self.db.get_audio_asset(audio_id)
        clip = self.player.load(self.store.path_for(asset.rel_path))
        return _Ready(clip, asset.sha256)

    def _approved_now(self, item: sched.PlannedItem) -> bool:
        """The approval gate, asked of the database at play time (not of the plan, which
        may be seconds old): a bulletin plays only while approved for its current level and
        text. Other items (jingles, operator audio, relays) need no approval."""
        if item.kind is not sched.ItemKind.BULLETIN or item.bulletin_id is None:
            return True
        try:
            return self.db.get_bulletin(item.bulletin_id).approved
        except LoaxaError:
            return True  # unknown: the load says so (bulletin_not_found), logged skipped

    def _details(self, item: sched.PlannedItem) -> _Details:
        if item.kind is sched.ItemKind.BULLETIN and item.bulletin_id is not None:
            try:
                b = self.db.get_bulletin(item.bulletin_id)
            except LoaxaError:
                return _Details(item.title, item.bulletin_id)
            return _Details(b.title, b.id, b.level.value, b.category, b.document_ref)
        return _Details(item.title)

    # -- one session ------------------------------------------------------------------
    def _run_session(self, planned: sched.PlannedSession, schedule: sched.Schedule) -> None:
        now = self.clock.now()
        state = self.db.run_states([planned.key]).get(planned.key)
        one_off = planned.source_id if planned.source == "oneoff" else 0
        done = self.db.played_positions(planned.key) if state == "on_air" else set()
        pending = [i for i in planned.items if i.position not in done]
        if now - planned.start > self.config.grace:
            for item in pending:
                self._log_final(planned, item, LogStatus.MISSED, MISSED_WHILE_DOWN)
            self.db.set_run_state(planned.key, planned.start, "missed")
            self._emit("session_missed", one_off, key=planned.key)
            return
        output = self._prepared_output or self.player.output_name()
        self._prepared_output = None
        if output is None:
            self.db.set_run_state(planned.key, planned.start, "on_air")
            self._emit("alarm", one_off, NO_OUTPUT, planned.key)
            for item in pending:
                self._log_final(planned, item, LogStatus.FAILED, NO_OUTPUT)
            self.db.set_run_state(planned.key, planned.start, "done")
            return
        self._amp_on()
        on_air = state == "on_air"
        for item in pending:
            if self._stop.is_set():
                return  # stays on air: a restart resumes from here
            on_air = self._play_item(planned, schedule, item, output, on_air)
        if self._stop.is_set():
            return
        self.db.set_run_state(planned.key, planned.start, "done")
        self._amp_off_later()
        self._emit("session_done", one_off, key=planned.key)

    def _play_item(self, planned: sched.PlannedSession, schedule: sched.Schedule,
                   item: sched.PlannedItem, output: str, on_air: bool) -> bool:
        """Plays one item (again after an emergency interrupted it); returns True once the
        occurrence is marked on air."""
        one_off = planned.source_id if planned.source == "oneoff" else 0
        while True:
            if item.blocked or schedule.quiet_hours.contains(self.clock.now()):
                self._log_final(planned, item, LogStatus.SKIPPED, QUIET_HOURS)
                return on_air
            if not self._approved_now(item):
                self._prepared.pop((planned.key, item.position), None)
                self._log_final(planned, item, LogStatus.SKIPPED, NOT_APPROVED)
                return on_air
            if item.kind is sched.ItemKind.RELAY:
                return self._play_relay(planned, schedule, item, output, on_air)
            ready = self._prepared.pop((planned.key, item.position), None)
            try:
                if ready is None:
                    ready = self._load(item)
                elif isinstance(ready, LoaxaError):
                    raise ready
            except LoaxaError as exc:
                self._log_final(planned, item, LogStatus.SKIPPED, _reason(exc))
                return on_air
            details = self._details(item)
            now = self.clock.now()
            # Sample-placed start for the first item when it is early enough to be placed.
            start_at = planned.start.timestamp() if planned.start > now else None
            entry = self.db.add_log_entry(
                scheduled_at=planned.start, status=LogStatus.PLAYING,
                session_id=one_off or None, session_item_id=None,
                bulletin_id=details.bulletin_id, bulletin_title=details.title,
                started_at=planned.start if start_at is not None else now,
                audio_sha256=ready.sha256, output_device=output, session_key=planned.key,
                item_position=item.position, item_kind=item.kind.value, level=details.level,
                category=details.category, document_ref=details.document_ref,
                run_state=None if on_air else "on_air")
            on_air = True
            result = self._play(ready.clip, one_off, planned.key, item.position, start_at)
            if self._finish(entry, result, one_off, planned.key, item.position):
                return on_air
            # An emergency interrupted it: play the emergency, then this item from its start.
            self._play_emergencies()

    def _play(self, clip: Clip, one_off: int, key: str, position: int,
              start_at: float | None) -> PlayResult:
        self._interruptible = True
        try:
            if self.db.due_emergencies(self.clock.now()):
                self._halt.set()
                return PlayResult(False, 0.0, "stopped")
            return self.player.play(
                clip, self._halt,
                on_start=lambda: self._emit("item_started", one_off, str(position), key),
                start_at=start_at)
        except LoaxaError as exc:
            return PlayResult(False, 0.0, _reason(exc))
        finally:
            self._interruptible = False

    def _finish(self, entry: int, result: PlayResult, one_off: int, key: str,
                position: int) -> bool:
        """Completes an entry; False when an emergency interrupted the item."""
        played_ms = round(result.played_s * 1000)
        emergency = False
        if result.completed:
            status, reason = LogStatus.PLAYED, ""
        elif result.reason == "stopped":
            emergency = not self._stop.is_set()
            status = LogStatus.INTERRUPTED
            reason = EMERGENCY if emergency else ENGINE_STOPPED
            if emergency:
                self._halt.clear()
        else:
            status = LogStatus.PARTIAL if played_ms > 0 else LogStatus.FAILED
            reason = result.reason or OUTPUT_LOST
            self._emit("alarm", one_off, reason, key)
        self.db.finish_log_entry(entry, status=status, ended_at=self.clock.now(),
                                 played_ms=played_ms, reason=reason)
        self._emit("item_finished", one_off, f"{position} {status.value}", key)
        return not emergency

    def _play_relay(self, planned: sched.PlannedSession, schedule: sched.Schedule,
                    item: sched.PlannedItem, output: str, on_air: bool) -> bool:
        one_off = planned.source_id if planned.source == "oneoff" else 0
        play_stream = getattr(self.player, "play_stream", None)
        # A relay cannot be placed on the sample: it starts on its second.
        start = planned.start + timedelta(seconds=item.offset)
        if start > self.clock.now():
            self.clock.sleep_until(start, threading.Event())
        entry = self.db.add_log_entry(
            scheduled_at=planned.start, status=LogStatus.PLAYING, session_id=one_off or None,
            bulletin_title=item.title or item.url, started_at=self.clock.now(),
            output_device=output, session_key=planned.key, item_position=item.position,
            item_kind="relay", note=item.url, run_state=None if on_air else "on_air")
        if play_stream is None:
            result = PlayResult(False, 0.0, STREAM_FAILED)
        else:
            self._interruptible = True
            try:
                result = play_stream(item.url, item.duration or 0.0, self._halt,
                                     on_start=lambda: self._emit(
                                         "item_started", one_off, str(item.position),
                                         planned.key))
            except LoaxaError as exc:
                result = PlayResult(False, 0.0, _reason(exc))
            finally:
                self._interruptible = False
        if result.completed or result.reason == "stopped":
            if not self._finish(entry, result, one_off, planned.key, item.position):
                self._play_emergencies()  # a relay is live: it does not start over
            return True
        self._finish(entry, result, one_off, planned.key, item.position)
        if item.fallback is not None:
            fallback = sched.PlannedItem(
                position=item.position, kind=item.fallback.kind, origin=sched.Origin.FALLBACK,
                title=item.fallback.title, duration=item.fallback.duration, offset=item.offset,
                audio_id=item.fallback.audio_id, bulletin_id=item.fallback.bulletin_id)
            return self._play_item(planned, schedule, fallback, output, True)
        return True

    # -- emergencies ------------------------------------------------------------------
    def _play_emergencies(self) -> bool:
        """Plays every due emergency; True when one played (or failed)."""
        due = self.db.due_emergencies(self.clock.now())
        for emergency in due:
            if self._stop.is_set():
                break
            self._play_emergency(emergency)
        if not self._stop.is_set():
            self._halt.clear()
        return bool(due)

    def _play_emergency(self, emergency: Emergency) -> None:
        now = self.clock.now()
        number = self.db.emergency_started(emergency.id, now)
        key = f"emergency:{emergency.id}:{number}"
        self._emit("emergency", 0, emergency.bulletin_title, key)
        try:
            b = self.db.get_bulletin(emergency.bulletin_id)
            details = _Details(b.title, b.id, Level.EMERGENCY.value, b.category,
                               b.document_ref)
        except LoaxaError:
            details = _Details(emergency.bulletin_title, emergency.bulletin_id,
                               Level.EMERGENCY.value)
        common = dict(scheduled_at=now, session_key=key, item_position=0,
                      item_kind="emergency", bulletin_id=details.bulletin_id,
                      bulletin_title=details.title, level=details.level,
                      category=details.category, document_ref=details.document_ref,
                      triggered_by=emergency.requested_by)
        output = self.player.output_name()
        if output is None:
            self._emit("alarm", 0, NO_OUTPUT, key)
            self.db.add_log_entry(status=LogStatus.FAILED, ended_at=now, reason=NO_OUTPUT,
                                  **common)
            return
        item = sched.PlannedItem(position=0, kind=sched.ItemKind.BULLETIN,
                                 origin=sched.Origin.SESSION, title=details.title,
                                 duration=None, offset=0.0, bulletin_id=emergency.bulletin_id)
        try:
            ready = self._load(item)
        except LoaxaError as exc:
            self._emit("alarm", 0, _reason(exc), key)
            self.db.add_log_entry(status=LogStatus.FAILED, ended_at=now, reason=_reason(exc),
                                  **common)
            return
        self._amp_on()
        entry = self.db.add_log_entry(status=LogStatus.PLAYING, started_at=now,
                                      audio_sha256=ready.sha256, output_device=output,
                                      **common)
        self._halt.clear()
        try:
            # Emergencies are not interrupted by later ones: those play right after.
            result = self.player.play(ready.clip, self._stop, on_start=lambda: self._emit(
                "item_started", 0, "0", key))
        except LoaxaError as exc:
            result = PlayResult(False, 0.0, _reason(exc))
        self._finish(entry, result, 0, key, 0)
        self._amp_off_later()

    # -- amplifiers -------------------------------------------------------------------
    def _amp_lead(self) -> timedelta:
        if self.amplifier is None or not self.amplifier.configured:
            return timedelta(0)
        return timedelta(seconds=self.amplifier.lead_s)

    def _amp_on(self) -> None:
        self._amp_off_at = None
        if self.amplifier is None or not self.amplifier.configured or self.amplifier.is_on:
            return
        failure = self.amplifier.switch_on()
        if failure:
            self._emit("alarm", 0, f"{AMPLIFIER_FAILED}: {failure}")

    def _amp_off_later(self) -> None:
        if self.amplifier is not None and self.amplifier.is_on:
            self._amp_off_at = self.clock.now() + timedelta(seconds=self.amplifier.off_delay_s)

    def _amp_off(self) -> None:
        self._amp_off_at = None
        if self.amplifier is None or not self.amplifier.is_on:
            return
        failure = self.amplifier.switch_off()
        if failure:
            self._emit("alarm", 0, f"{AMPLIFIER_FAILED}: {failure}")

    # -- logging helpers --------------------------------------------------------------
    def _log_final(self, planned: sched.PlannedSession, item: sched.PlannedItem,
                   status: LogStatus, reason: str) -> None:
        details = self._details(item)
        self.db.add_log_entry(
            scheduled_at=planned.start, status=status,
            session_id=planned.source_id if planned.source == "oneoff" else None,
            bulletin_id=details.bulletin_id, bulletin_title=details.title,
            ended_at=self.clock.now(), reason=reason, session_key=planned.key,
            item_position=item.position, item_kind=item.kind.value, level=details.level,
            category=details.category, document_ref=details.document_ref)


def _reason(exc: LoaxaError) -> str:
    detail = exc.params.get("reason") or exc.params.get("path") or ""
    return f"{exc.code}: {detail}" if detail else exc.code

