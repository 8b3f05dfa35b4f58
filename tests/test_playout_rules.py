"""The engine on the full schedule model, with a fake clock and a fake player: series,
one-occurrence changes, campaigns, priorities, emergencies, quiet hours, relays, amplifiers,
power cuts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from media.store import AssetStore
from scheduler.amplifier import Amplifier
from scheduler.clock import FakeClock
from scheduler.playout import EngineConfig, PlayoutEngine
from scheduler.records import Level, LogStatus
from scheduler.schedule import EVERY_DAY, ItemSpec
from tests.fakes import FakePlayer

# 05:59:00 Vietnam time on Tuesday 1 December 2026.
T0 = datetime(2026, 11, 30, 22, 59, 0, tzinfo=UTC)
SIX = time(6, 0)  # local
DAY = date(2026, 12, 1)


@pytest.fixture
def store(tmp_path: Path) -> AssetStore:
    return AssetStore(tmp_path / "audio")


def audio_file(store: AssetStore, name: str) -> str:
    rel = f"{name[:2]}/{name}.mp3"
    path = store.path_for(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"audio")
    return rel


def bulletin(db, store, name: str, level: Level = Level.NORMAL, rank: int = 0,
             **meta) -> int:
    bulletin_id = db.add_bulletin(f"Bản tin {name}", f"Nội dung {name}", level=level, **meta)
    db.attach_audio(bulletin_id, sha256=f"{name:0<64}"[:64], rel_path=audio_file(store, name),
                    duration_ms=10_000, origin="tts", engine="espeak-ng", voice="vi",
                    source_sha256="")
    if rank:
        from sqlalchemy import update

        from scheduler.persistence.models import BulletinRow

        with db._tx() as s:
            s.execute(update(BulletinRow).where(BulletinRow.id == bulletin_id)
                      .values(priority_rank=rank))
    return bulletin_id


def asset(db, store, name: str, seconds: float = 5.0) -> int:
    return db.add_audio_asset(sha256=f"{name:0<64}"[:64], rel_path=audio_file(store, name),
                              duration_ms=int(seconds * 1000), title=f"Tệp {name}").id


def engine(db, store, clock, player, events=None, amplifier=None, **config):
    config.setdefault("watch_emergencies", False)
    return PlayoutEngine(db, store, player, clock, EngineConfig(**config),
                         on_event=events.append if events is not None else None,
                         amplifier=amplifier)


def daily(db, items, start=SIX, **kw) -> int:
    return db.add_series(title=kw.pop("title", "Sáng"), start=start, weekdays=EVERY_DAY,
                         valid_from=kw.pop("valid_from", DAY), valid_until=None,
                         length_s=kw.pop("length_s", 1800), items=items, **kw)


def local(day: date, hh: int, mm: int = 0) -> datetime:
    from scheduler.timeutil import LOCAL_TZ

    return datetime.combine(day, time(hh, mm), LOCAL_TZ).astimezone(UTC)


def test_a_daily_series_plays_every_day_at_its_second_and_never_twice(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    b = bulletin(db, store, "aa01")
    daily(db, [ItemSpec.bulletin(b)])
    e = engine(db, store, clock, player)
    e.run(until_idle=True)
    assert player.played == [("aa01", local(DAY, 6))]
    clock.advance(24 * 3600 - 120)  # the next morning, two minutes before six
    engine(db, store, clock, player).run(until_idle=True)
    assert [p[1] for p in player.played] == [local(DAY, 6), local(DAY + timedelta(days=1), 6)]
    entries = db.log_entries()
    assert [e.session_key for e in entries] == ["series:1:2026-12-01", "series:1:2026-12-02"]
    assert all(e.status is LogStatus.PLAYED and e.session_id is None for e in entries)
    engine(db, store, clock, player).run(until_idle=True)  # a restart plays nothing again
    assert len(player.played) == 2


def test_one_occurrence_cancelled_or_moved_leaves_the_series_alone(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    series = daily(db, [ItemSpec.bulletin(bulletin(db, store, "bb01"))])
    db.change_occurrence(series, DAY, cancel=True)
    db.change_occurrence(series, DAY + timedelta(days=1),
                         move_to=local(DAY + timedelta(days=1), 7, 30))
    engine(db, store, clock, player).run(until_idle=True)  # 1 December: cancelled
    assert player.played == []
    clock.advance(24 * 3600)  # 2 December, 05:59: moved to 07:30
    engine(db, store, clock, player).run(until_idle=True)
    assert player.played == []
    clock.advance(88 * 60)  # 07:27
    engine(db, store, clock, player).run(until_idle=True)
    assert [p[1] for p in player.played] == [local(DAY + timedelta(days=1), 7, 30)]
    assert db.log_entries()[0].session_key == "series:1:2026-12-02"  # keeps its key
    clock.advance((local(DAY + timedelta(days=2), 5, 57) - clock.now()).total_seconds())
    # 3 December, 05:57: the series as it was
    engine(db, store, clock, player).run(until_idle=True)
    assert player.played[-1][1] == local(DAY + timedelta(days=2), 6)


def test_priority_first_by_rank_then_own_items_then_campaign(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    normal = bulletin(db, store, "cc01")
    late_rank = bulletin(db, store, "cc02", Level.PRIORITY, rank=2)
    first_rank = bulletin(db, store, "cc03", Level.PRIORITY, rank=1)
    campaign_b = bulletin(db, store, "cc04", category="Y tế", document_ref="07/CT-TTg")
    daily(db, [ItemSpec.bulletin(normal), ItemSpec.bulletin(late_rank),
               ItemSpec.bulletin(first_rank)])
    evening = daily(db, [ItemSpec.bulletin(normal)], start=time(17, 0), title="Chiều")
    db.add_campaign(bulletin_id=campaign_b, first_day=DAY, last_day=DAY,
                    window=(time(4, 0), time(11, 59)), max_per_day=1)
    assert evening
    engine(db, store, clock, player).run(until_idle=True)
    assert [p[0] for p in player.played] == ["cc03", "cc02", "cc01", "cc04"]
    aired = db.log_entries()[-1]
    assert (aired.category, aired.document_ref, aired.level) == ("Y tế", "07/CT-TTg", "normal")


def test_emergency_interrupts_then_the_item_plays_again_from_its_start(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    first, second = bulletin(db, store, "dd01"), bulletin(db, store, "dd02")
    alert = bulletin(db, store, "dd09", Level.EMERGENCY)
    daily(db, [ItemSpec.bulletin(first), ItemSpec.bulletin(second)])
    e = engine(db, store, clock, player)

    def trigger(clip):
        if clip.path.stem == "dd01" and not db.list_emergencies():
            db.add_emergency(alert, requested_at=clock.now(), requested_by="Nguyễn Văn An")
            assert e.poll_emergencies()

    player.on_play = trigger
    e.run(until_idle=True)
    assert [p[0] for p in player.played] == ["dd01", "dd09", "dd01", "dd02"]
    entries = db.log_entries()
    got = [(x.bulletin_title, x.status, x.reason, x.item_kind) for x in
           sorted(entries, key=lambda x: x.id)]
    assert got == [
        ("Bản tin dd01", LogStatus.INTERRUPTED, "emergency_interrupt", "bulletin"),
        ("Bản tin dd09", LogStatus.PLAYED, "", "emergency"),
        ("Bản tin dd01", LogStatus.PLAYED, "", "bulletin"),
        ("Bản tin dd02", LogStatus.PLAYED, "", "bulletin"),
    ]
    emergency_entry = next(x for x in entries if x.item_kind == "emergency")
    assert emergency_entry.triggered_by == "Nguyễn Văn An"
    assert emergency_entry.level == "emergency"
    assert emergency_entry.session_key == "emergency:1:1"
    assert db.list_emergencies()[0].state == "done"


def test_a_repeating_emergency_plays_every_n_minutes_until_cancelled(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    alert = bulletin(db, store, "ee09", Level.EMERGENCY)
    emergency = db.add_emergency(alert, requested_at=T0, requested_by="admin",
                                 repeat_minutes=10)

    def cancel_after_third(clip):
        if len(player.played) == 3:
            db.cancel_emergency(emergency, by="admin", at=clock.now())

    player.on_play = cancel_after_third
    e = engine(db, store, clock, player, idle_horizon=timedelta(minutes=15))
    player.on_play = cancel_after_third
    e.run(until_idle=True)
    starts = [p[1] for p in player.played]
    assert starts == [T0, T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)]
    assert db.list_emergencies()[0].state == "cancelled"


def test_quiet_hours_skip_normal_items_but_not_emergencies(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    db.set_quiet_hours([(time(5, 30), time(6, 30))])
    daily(db, [ItemSpec.bulletin(bulletin(db, store, "ff01"))])
    db.add_emergency(bulletin(db, store, "ff09", Level.EMERGENCY),
                     requested_at=T0 + timedelta(minutes=2), requested_by="admin")
    engine(db, store, clock, player).run(until_idle=True)
    assert [p[0] for p in player.played] == ["ff09"]
    skipped = [x for x in db.log_entries() if x.status is LogStatus.SKIPPED]
    assert [(x.bulletin_title, x.reason) for x in skipped] == [("Bản tin ff01", "quiet_hours")]


def test_a_failed_relay_plays_its_fallback_and_the_session_goes_on(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    url = "https://stream.example.invalid/vov1"
    player.stream_failures[url] = (0.0, "stream_unreachable")
    fallback = asset(db, store, "gg05")
    after = bulletin(db, store, "gg01")
    daily(db, [ItemSpec.relay(url, 600, ItemSpec.audio(fallback)), ItemSpec.bulletin(after)])
    engine(db, store, clock, player).run(until_idle=True)
    assert [p[0] for p in player.played] == ["gg05", "gg01"]
    got = [(x.item_kind, x.status, x.reason.split(":")[0]) for x in db.log_entries()]
    assert got == [("relay", LogStatus.FAILED, "stream_unreachable"),
                   ("audio", LogStatus.PLAYED, ""), ("bulletin", LogStatus.PLAYED, "")]


def test_a_relay_that_plays_is_logged_played(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    url = "https://stream.example.invalid/vov1"
    daily(db, [ItemSpec.relay(url, 900)])
    engine(db, store, clock, player).run(until_idle=True)
    assert player.streamed == [(url, 900, local(DAY, 6))]
    [entry] = db.log_entries()
    assert (entry.item_kind, entry.status, entry.played_ms) == ("relay", LogStatus.PLAYED,
                                                                900_000)


def test_amplifiers_on_before_and_off_after_failures_are_alarms(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    calls: list[tuple[str, datetime]] = []

    def runner(argv):
        calls.append((argv[-1], clock.now()))
        return (1, "relay not found") if argv[-1] == "on" else (0, "")

    amp = Amplifier("relay-ctl on", "relay-ctl off", lead_s=20, off_delay_s=30, runner=runner)
    events = []
    daily(db, [ItemSpec.bulletin(bulletin(db, store, "hh01"))])
    engine(db, store, clock, player, events, amplifier=amp).run(until_idle=True)
    six = local(DAY, 6)
    assert calls[0] == ("on", six - timedelta(seconds=20))
    assert calls[1][0] == "off" and calls[1][1] >= six + timedelta(seconds=40)
    assert player.played == [("hh01", six)]  # a failed relay never stops the session
    assert any(e.kind == "alarm" and "amplifier_failed" in e.detail for e in events)


def test_after_a_power_cut_sessions_are_played_late_or_logged_missed(db, store) -> None:
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    db.beat(T0 - timedelta(hours=3))  # the engine was last alive at 02:59
    daily(db, [ItemSpec.bulletin(bulletin(db, store, "ii01"))], start=time(4, 0),
          title="Sớm")
    daily(db, [ItemSpec.bulletin(bulletin(db, store, "ii02"))], start=time(5, 50),
          title="Trước sáu giờ")
    clock.advance(0)
    engine(db, store, clock, player).run(until_idle=True)
    assert player.played == [("ii02", T0)]  # 9 minutes late: inside the grace window
    by_title = {x.bulletin_title: (x.status, x.reason) for x in db.log_entries()}
    assert by_title == {"Bản tin ii01": (LogStatus.MISSED, "missed_while_down"),
                        "Bản tin ii02": (LogStatus.PLAYED, "")}
