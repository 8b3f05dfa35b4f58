"""Every engine rule with a fake clock and a fake player."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from media.store import AssetStore
from scheduler.clock import FakeClock
from scheduler.playout import EngineConfig, PlayoutEngine
from scheduler.records import LogStatus, SessionState
from tests.fakes import Crash, FakePlayer

T0 = datetime(2026, 12, 31, 22, 59, 0, tzinfo=UTC)  # 05:59 local, 1 January 2027


@pytest.fixture
def store(tmp_path: Path) -> AssetStore:
    return AssetStore(tmp_path / "audio")


def bulletin_with_audio(db, store: AssetStore, name: str, content: bytes = b"audio") -> int:
    bulletin_id = db.add_bulletin(f"Bản tin {name}", f"Nội dung {name}")
    rel = f"{name[:2]}/{name}.mp3"
    path = store.path_for(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    db.attach_audio(bulletin_id, sha256=f"{name:0<64}"[:64], rel_path=rel, duration_ms=10_000,
                    origin="tts", engine="espeak-ng", voice="vi", source_sha256="")
    return bulletin_id


def make_engine(db, store, clock, player, events=None, **config) -> PlayoutEngine:
    config.setdefault("watch_emergencies", False)  # tests poll emergencies themselves
    return PlayoutEngine(db, store, player, clock, EngineConfig(**config),
                         on_event=(events.append if events is not None else None))


def test_session_plays_at_its_second_and_is_logged(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    b = bulletin_with_audio(db, store, "aa01")
    at = T0 + timedelta(minutes=1)
    sid = db.add_session(at, [b])
    make_engine(db, store, clock, player).run(until_idle=True)
    assert player.played == [("aa01", at)]
    assert player.opened >= 1  # the output was opened ahead of the start
    [entry] = db.log_entries()
    assert entry.status is LogStatus.PLAYED
    assert (entry.scheduled_at, entry.started_at, entry.ended_at) == \
        (at, at, at + timedelta(seconds=10))
    assert entry.audio_sha256 == "aa01".ljust(64, "0")
    assert entry.played_ms == 10_000
    assert entry.output_device == "Fake Output"
    assert db.get_session(sid).state is SessionState.DONE


def test_entry_is_committed_before_the_item_starts(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    seen = []
    player.on_play = lambda clip: seen.extend(e.status for e in db.log_entries())
    db.add_session(T0, [bulletin_with_audio(db, store, "bb01")])
    make_engine(db, store, clock, player).run(until_idle=True)
    assert seen == [LogStatus.PLAYING]


def test_no_output_logs_failed_and_plays_nothing(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock, output=None)
    events = []
    b1, b2 = bulletin_with_audio(db, store, "cc01"), bulletin_with_audio(db, store, "cc02")
    sid = db.add_session(T0 + timedelta(seconds=5), [b1, b2])
    make_engine(db, store, clock, player, events).run(until_idle=True)
    assert player.played == []
    entries = db.log_entries()
    assert [(e.status, e.reason, e.played_ms) for e in entries] == \
        [(LogStatus.FAILED, "no_output", 0)] * 2
    assert any(e.kind == "alarm" and e.detail == "no_output" for e in events)
    assert db.get_session(sid).state is SessionState.DONE


def test_missing_and_corrupt_files_are_skipped_and_the_session_goes_on(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    missing = bulletin_with_audio(db, store, "dd01")
    store.path_for("dd/dd01.mp3").unlink()
    corrupt = bulletin_with_audio(db, store, "dd02", b"corrupt")
    unrendered = db.add_bulletin("Chưa có âm thanh", "x")
    good = bulletin_with_audio(db, store, "dd03")
    db.add_session(T0, [missing, corrupt, unrendered, good])
    make_engine(db, store, clock, player).run(until_idle=True)
    assert [p[0] for p in player.played] == ["dd03"]
    statuses = [(e.status, e.reason.split(":")[0]) for e in db.log_entries()]
    assert statuses == [(LogStatus.SKIPPED, "audio_missing"), (LogStatus.SKIPPED, "audio_corrupt"),
                        (LogStatus.SKIPPED, "not_rendered"), (LogStatus.PLAYED, "")]


def test_late_session_within_grace_plays_late(db, store) -> None:
    clock = FakeClock(T0 + timedelta(minutes=14))
    player = FakePlayer(clock)
    db.add_session(T0, [bulletin_with_audio(db, store, "ee01")])
    make_engine(db, store, clock, player).run(until_idle=True)
    [entry] = db.log_entries()
    assert entry.status is LogStatus.PLAYED
    assert entry.started_at == T0 + timedelta(minutes=14)
    assert entry.scheduled_at == T0


def test_session_beyond_grace_is_missed_not_played(db, store) -> None:
    clock = FakeClock(T0 + timedelta(minutes=16))
    player = FakePlayer(clock)
    sid = db.add_session(T0, [bulletin_with_audio(db, store, "ff01")])
    make_engine(db, store, clock, player).run(until_idle=True)
    assert player.played == []
    [entry] = db.log_entries()
    assert (entry.status, entry.reason) == (LogStatus.MISSED, "missed_while_down")
    assert db.get_session(sid).state is SessionState.MISSED


def test_crash_mid_item_resumes_from_that_item_and_nothing_plays_twice(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    items = [bulletin_with_audio(db, store, n) for n in ("gg01", "gg02", "gg03")]
    sid = db.add_session(T0, items)
    player.crash_on = "gg02"
    with pytest.raises(Crash):
        make_engine(db, store, clock, player).run(until_idle=True)
    assert [e.status for e in db.log_entries()] == [LogStatus.PLAYED, LogStatus.PLAYING]
    clock.advance(60)  # the machine comes back a minute later
    make_engine(db, store, clock, player).run(until_idle=True)
    assert [p[0] for p in player.played] == ["gg01", "gg02", "gg02", "gg03"]
    entries = db.log_entries()
    assert [(e.bulletin_id, e.status) for e in entries] == [
        (items[0], LogStatus.PLAYED), (items[1], LogStatus.INTERRUPTED),
        (items[1], LogStatus.PLAYED), (items[2], LogStatus.PLAYED)]
    assert entries[1].reason == "process_stopped"
    assert db.get_session(sid).state is SessionState.DONE
    make_engine(db, store, clock, player).run(until_idle=True)
    assert len(player.played) == 4  # a third start plays nothing again


def test_crash_then_back_after_grace_logs_the_rest_missed(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    items = [bulletin_with_audio(db, store, n) for n in ("hh01", "hh02")]
    db.add_session(T0, items)
    player.crash_on = "hh01"
    with pytest.raises(Crash):
        make_engine(db, store, clock, player).run(until_idle=True)
    clock.advance(3600)
    make_engine(db, store, clock, player).run(until_idle=True)
    assert [(e.status, e.reason) for e in db.log_entries()] == [
        (LogStatus.INTERRUPTED, "process_stopped"), (LogStatus.MISSED, "missed_while_down"),
        (LogStatus.MISSED, "missed_while_down")]


def test_stop_mid_item_marks_it_interrupted_and_resume_replays_it(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    b = bulletin_with_audio(db, store, "ii01")
    sid = db.add_session(T0, [b])
    engine = make_engine(db, store, clock, player)
    player.on_play = lambda clip: engine.stop()
    engine.run()
    [entry] = db.log_entries()
    assert (entry.status, entry.reason, entry.played_ms) == \
        (LogStatus.INTERRUPTED, "engine_stopped", 3000)
    assert db.get_session(sid).state is SessionState.ON_AIR
    player.on_play = None
    make_engine(db, store, clock, player).run(until_idle=True)
    assert [e.status for e in db.log_entries()] == [LogStatus.INTERRUPTED, LogStatus.PLAYED]


def test_output_lost_mid_item_is_partial_with_an_alarm(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    player.lose_output_on = "jj01"
    events = []
    db.add_session(T0, [bulletin_with_audio(db, store, "jj01")])
    make_engine(db, store, clock, player, events).run(until_idle=True)
    [entry] = db.log_entries()
    assert (entry.status, entry.reason, entry.played_ms) == \
        (LogStatus.PARTIAL, "output_lost", 4000)
    assert [e.detail for e in events if e.kind == "alarm"] == ["output_lost"]


def test_until_idle_horizon(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    b = bulletin_with_audio(db, store, "kk01")
    db.add_session(T0 + timedelta(minutes=6), [b])
    make_engine(db, store, clock, player).run(until_idle=True)
    assert player.played == [] and clock.now() == T0  # nothing within 5 minutes: exit now
    db.add_session(T0 + timedelta(minutes=4), [b])
    make_engine(db, store, clock, player).run(until_idle=True)
    # the 4-minute session plays; then the 6-minute one is within 5 minutes and plays too
    assert [p[1] for p in player.played] == [T0 + timedelta(minutes=4),
                                             T0 + timedelta(minutes=6)]


def test_midnight_and_year_boundary(db, store) -> None:
    new_year_local_midnight = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    clock = FakeClock(new_year_local_midnight - timedelta(seconds=30))
    player = FakePlayer(clock)
    db.add_session(new_year_local_midnight, [bulletin_with_audio(db, store, "ll01")])
    make_engine(db, store, clock, player).run(until_idle=True)
    assert player.played == [("ll01", new_year_local_midnight)]


def test_a_session_added_while_running_plays_without_restart(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    b = bulletin_with_audio(db, store, "mm01")
    engine = make_engine(db, store, clock, player)
    thread = threading.Thread(target=engine.run, daemon=True)
    thread.start()
    try:
        time.sleep(0.2)
        at = (clock.now() + timedelta(minutes=5)).replace(microsecond=0)
        db.add_session(at, [b])
        deadline = time.monotonic() + 20
        while not player.played and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        engine.stop()
        thread.join(10)
    assert player.played == [("mm01", at)]
    assert not thread.is_alive()


def test_a_database_failure_is_an_alarm_and_the_loop_goes_on(db, store, monkeypatch) -> None:
    from media.errors import LoaxaError

    clock = FakeClock(T0)
    player = FakePlayer(clock)
    events = []
    db.add_session(T0 + timedelta(seconds=30), [bulletin_with_audio(db, store, "nn01")])
    real = db.run_states
    calls = {"n": 0}

    def flaky(keys):
        calls["n"] += 1
        if calls["n"] <= 3:
            raise LoaxaError("db_unavailable", url="sqlite://", reason="database is locked")
        return real(keys)

    monkeypatch.setattr(db, "run_states", flaky)
    make_engine(db, store, clock, player, events).run(until_idle=True)
    alarms = [e.detail for e in events if e.kind == "alarm"]
    assert alarms == ["db_unavailable: database is locked"] * 3
    assert [p[0] for p in player.played] == ["nn01"]
    assert db.log_entries()[0].status is LogStatus.PLAYED
