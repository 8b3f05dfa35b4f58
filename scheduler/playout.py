"""The playout engine: plays each due session at its second and writes the broadcast log.

Rules kept here (each tested with a fake clock and a fake player):
- every item's log entry is written ('playing') before it starts and completed after, each
  committed at once;
- before a session the output is checked: with none, the items are logged failed, never
  played, and an alarm is raised;
- a missing or corrupt file is skipped with a log entry and the session goes on;
- a process that died mid-item leaves a 'playing' entry: at the next start it becomes
  'interrupted' and its session resumes from that item while inside the grace window;
- a session found later than the grace window is logged missed; nothing plays twice;
- the schedule is read again at least every poll interval, so changes need no restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from media.errors import LoaxaError
from media.store import AssetStore
from scheduler.clock import Clock
from scheduler.persistence import Database
from scheduler.player import Clip, Player
from scheduler.records import BroadcastSession, LogStatus, SessionItem, SessionState

log = logging.getLogger(__name__)

# Reason codes written in the log (worded for people by the app).
NO_OUTPUT = "no_output"
OUTPUT_LOST = "output_lost"
PROCESS_STOPPED = "process_stopped"
ENGINE_STOPPED = "engine_stopped"
NOT_RENDERED = "not_rendered"
BULLETIN_MISSING = "bulletin_missing"
MISSED_WHILE_DOWN = "missed_while_down"


@dataclass(frozen=True)
class EngineConfig:
    grace: timedelta = timedelta(minutes=15)
    preroll: timedelta = timedelta(seconds=5)
    poll: timedelta = timedelta(seconds=1)
    idle_horizon: timedelta = timedelta(minutes=5)


@dataclass(frozen=True)
class _Ready:
    clip: Clip
    title: str
    sha256: str


@dataclass(frozen=True)
class _Prepared:
    ready: dict[int, _Ready | LoaxaError]
    output: str | None


@dataclass(frozen=True)
class EngineEvent:
    kind: str  # alarm | item_started | item_finished | session_done | session_missed
    session_id: int
    detail: str = ""


class PlayoutEngine:
    def __init__(self, db: Database, store: AssetStore, player: Player, clock: Clock,
                 config: EngineConfig | None = None,
                 on_event: Callable[[EngineEvent], None] | None = None) -> None:
        self.db = db
        self.store = store
        self.player = player
        self.clock = clock
        self.config = config or EngineConfig()
        self.on_event = on_event
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._prepared: dict[int, _Prepared] = {}

    # -- control ----------------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def wake(self) -> None:
        """Re-read the schedule now (it is re-read every poll interval anyway)."""
        self._wake.set()

    def _emit(self, kind: str, session_id: int, detail: str = "") -> None:
        if kind == "alarm":
            log.error("ALARM session %s: %s", session_id, detail)
        else:
            log.info("%s session %s %s", kind, session_id, detail)
        if self.on_event is not None:
            try:
                self.on_event(EngineEvent(kind, session_id, detail))
            except Exception:
                log.exception("event handler failed")

    # -- main loop --------------------------------------------------------------------
    def recover(self) -> None:
        for entry in self.db.close_unfinished_entries(PROCESS_STOPPED):
            log.warning("entry %s (session %s) was on air when the engine stopped: interrupted",
                        entry.id, entry.session_id)

    def run(self, until_idle: bool = False) -> None:
        self.recover()
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
            self.player.close()

    def _step(self, now: datetime, until_idle: bool) -> bool:
        """One turn of the loop; True when ``until_idle`` is satisfied."""
        due = self.db.due_sessions(now)
        if due:
            for session in due:
                if self._stop.is_set():
                    break
                self._run_session(session)
            return False
        upcoming = self.db.next_session_start(now)
        if until_idle and (upcoming is None or upcoming - now > self.config.idle_horizon):
            return True
        target = now + self.config.poll
        if upcoming is not None:
            if upcoming - now <= self.config.preroll:
                self._prepare(upcoming)
                target = upcoming
            else:
                target = min(target, upcoming - self.config.preroll)
        self.clock.sleep_until(target, self._wake)
        return False

    def _prepare(self, start: datetime) -> None:
        """Before a session: check the output, decode its audio, open the output (kept warm),
        so that at the second only the log entry is committed before the sound starts."""
        output = self.player.output_name()
        for session in self.db.due_sessions(start):
            if session.id in self._prepared or session.state is not SessionState.SCHEDULED:
                continue
            ready: dict[int, _Ready | LoaxaError] = {}
            for item in session.items:
                try:
                    ready[item.id] = self._load(item)
                except LoaxaError as exc:
                    ready[item.id] = exc
            self._prepared[session.id] = _Prepared(ready, output)
        if output is not None:
            try:
                self.player.open()
            except LoaxaError as exc:
                log.warning("could not warm the output: %s", exc)

    def _load(self, item: SessionItem) -> _Ready:
        if item.bulletin_id is None:
            raise LoaxaError(BULLETIN_MISSING)
        bulletin = self.db.get_bulletin(item.bulletin_id)
        if bulletin.audio is None:
            raise LoaxaError(NOT_RENDERED)
        clip = self.player.load(self.store.path_for(bulletin.audio.rel_path))
        return _Ready(clip, bulletin.title, bulletin.audio.sha256)

    # -- one session ------------------------------------------------------------------
    def _run_session(self, session: BroadcastSession) -> None:
        prepared = self._prepared.pop(session.id, None)
        now = self.clock.now()
        if session.state is SessionState.SCHEDULED:
            pending = list(session.items)
        else:  # resuming after a stop: what was played stays played
            done = {e.session_item_id for e in self.db.session_log(session.id)
                    if e.status is LogStatus.PLAYED}
            pending = [i for i in session.items if i.id not in done]
        if now - session.scheduled_at > self.config.grace:
            for item in pending:
                self._log_final(session, item, LogStatus.MISSED, MISSED_WHILE_DOWN)
            self.db.set_session_state(session.id, SessionState.MISSED)
            self._emit("session_missed", session.id)
            return
        output = prepared.output if prepared and prepared.output else self.player.output_name()
        if output is None:
            self.db.set_session_state(session.id, SessionState.ON_AIR)
            self._emit("alarm", session.id, NO_OUTPUT)
            for item in pending:
                self._log_final(session, item, LogStatus.FAILED, NO_OUTPUT)
            self.db.set_session_state(session.id, SessionState.DONE)
            return
        on_air = session.state is SessionState.ON_AIR
        for item in pending:
            if self._stop.is_set():
                return  # stays on air: a restart resumes from here
            ready = prepared.ready.get(item.id) if prepared else None
            on_air = self._play_item(session, item, ready, output, on_air)
        if not on_air:
            self.db.set_session_state(session.id, SessionState.ON_AIR)
        if self._stop.is_set():
            return
        self.db.set_session_state(session.id, SessionState.DONE)
        self._emit("session_done", session.id)

    def _play_item(self, session: BroadcastSession, item: SessionItem,
                   ready: _Ready | LoaxaError | None, output: str, on_air: bool) -> bool:
        """Plays one item; returns True once the session is marked on air."""
        try:
            if ready is None:
                ready = self._load(item)
            elif isinstance(ready, LoaxaError):
                raise ready
        except LoaxaError as exc:
            self._log_final(session, item, LogStatus.SKIPPED, _reason(exc))
            return on_air
        # One commit before the sound: the entry, and the session's state with the first.
        entry = self.db.add_log_entry(
            scheduled_at=session.scheduled_at, status=LogStatus.PLAYING,
            session_id=session.id, session_item_id=item.id, bulletin_id=item.bulletin_id,
            bulletin_title=ready.title, started_at=self.clock.now(), audio_sha256=ready.sha256,
            output_device=output, session_state=None if on_air else SessionState.ON_AIR)
        try:
            result = self.player.play(ready.clip, self._stop, on_start=lambda: self._emit(
                "item_started", session.id, str(item.id)),
                start_at=None if on_air else session.scheduled_at.timestamp())
        except LoaxaError as exc:
            self.db.finish_log_entry(entry, status=LogStatus.FAILED, ended_at=self.clock.now(),
                                     played_ms=0, reason=_reason(exc))
            self._emit("alarm", session.id, _reason(exc))
            return True
        played_ms = round(result.played_s * 1000)
        if result.completed:
            status, reason = LogStatus.PLAYED, ""
        elif result.reason == "stopped":
            status, reason = LogStatus.INTERRUPTED, ENGINE_STOPPED
        else:
            status = LogStatus.PARTIAL if played_ms > 0 else LogStatus.FAILED
            reason = result.reason or OUTPUT_LOST
            self._emit("alarm", session.id, reason)
        self.db.finish_log_entry(entry, status=status, ended_at=self.clock.now(),
                                 played_ms=played_ms, reason=reason)
        self._emit("item_finished", session.id, f"{item.id} {status.value}")
        return True

    def _log_final(self, session: BroadcastSession, item: SessionItem, status: LogStatus,
                   reason: str) -> None:
        now = self.clock.now()
        self.db.add_log_entry(scheduled_at=session.scheduled_at, status=status,
                              session_id=session.id, session_item_id=item.id,
                              bulletin_id=item.bulletin_id, bulletin_title=item.bulletin_title,
                              ended_at=now, reason=reason)


def _reason(exc: LoaxaError) -> str:
    detail = exc.params.get("reason") or exc.params.get("path") or ""
    return f"{exc.code}: {detail}" if detail else exc.code
