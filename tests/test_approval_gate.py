"""The approval gate where it cannot be bypassed: the playout engine (fake clock, fake
player) and the day-ahead check; emergencies play unapproved and say who triggered them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler import schedule as sched
from scheduler.clock import FakeClock
from scheduler.people import ScryptParams
from scheduler.records import Level, LogStatus
from scheduler.schedule import BulletinInfo, ItemSpec, Schedule, SessionSeries
from tests.fakes import FakePlayer
from tests.test_playout_rules import DAY, SIX, T0, bulletin, daily, engine, local

FAST = ScryptParams(n=2 ** 10, r=8, p=1)


@pytest.fixture
def store(tmp_path):
    from media.store import AssetStore

    return AssetStore(tmp_path / "audio")


@pytest.fixture
def staffed(db):
    """A station with users: "lan" (admin), "minh" (operator), "hoa" (approver)."""
    db.pin_params = FAST
    db.add_user("lan", "1111", ["admin"])
    db.login("lan", "1111")
    db.add_user("minh", "2222", ["operator"])
    db.add_user("hoa", "3333", ["approver"])
    db.login("minh", "2222")
    return db


def approve(db, *bulletin_ids: int) -> None:
    operator = db.actor
    db.login("hoa", "3333")
    for bulletin_id in bulletin_ids:
        db.approve_bulletin(bulletin_id)
    db.actor = operator


def test_an_unapproved_bulletin_is_skipped_on_air_and_the_approved_one_plays(
        staffed, store) -> None:
    db = staffed
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    approved, draft = bulletin(db, store, "ap01"), bulletin(db, store, "ap02")
    approve(db, approved)
    daily(db, [ItemSpec.bulletin(draft), ItemSpec.bulletin(approved)])
    db.logout()  # the playout process acts as "system"
    engine(db, store, clock, player).run(until_idle=True)
    assert [p[0] for p in player.played] == ["ap01"]
    entries = {e.bulletin_title: e for e in db.log_entries()}
    assert entries["Bản tin ap02"].status is LogStatus.SKIPPED
    assert entries["Bản tin ap02"].reason == "not_approved"
    assert entries["Bản tin ap01"].status is LogStatus.PLAYED


def test_the_gate_asks_at_play_time_not_when_the_plan_was_made(staffed, store) -> None:
    """Approval taken back (or the text edited) after the engine resolved the day: the
    item is still skipped."""
    db = staffed
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    first, second = bulletin(db, store, "gt01"), bulletin(db, store, "gt02")
    approve(db, first, second)
    daily(db, [ItemSpec.bulletin(first), ItemSpec.bulletin(second)])
    e = engine(db, store, clock, player)

    def edit_second(clip):
        if clip.path.stem == "gt01":
            db.login("minh", "2222")
            db.update_bulletin(second, level=Level.PRIORITY)  # edited: approval gone
            db.logout()

    player.on_play = edit_second
    e.run(until_idle=True)
    assert [p[0] for p in player.played] == ["gt01"]
    skipped = [x for x in db.log_entries() if x.status is LogStatus.SKIPPED]
    assert [(x.bulletin_title, x.reason) for x in skipped] == [("Bản tin gt02", "not_approved")]


def test_an_emergency_plays_unapproved_and_the_log_says_who(staffed, store) -> None:
    db = staffed
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    alert = bulletin(db, store, "em09", Level.EMERGENCY)
    assert not db.get_bulletin(alert).approved
    db.add_emergency(alert, requested_at=T0, requested_by="gõ tên khác")
    db.logout()
    engine(db, store, clock, player).run(until_idle=True)
    assert [p[0] for p in player.played] == ["em09"]
    [entry] = db.log_entries()
    assert entry.status is LogStatus.PLAYED and entry.triggered_by == "minh"
    assert db.list_emergencies()[0].requested_by == "minh"
    assert any(e.action == "emergency_triggered" and e.actor == "minh"
               for e in db.audit_events())


def test_the_day_ahead_check_reports_an_unapproved_bulletin_as_an_error(staffed, store) -> None:
    db = staffed
    draft = bulletin(db, store, "ck01")
    daily(db, [ItemSpec.bulletin(draft)])
    problems = sched.check_range(db.load_schedule(lambda _rel: True), DAY, DAY)
    assert [(p.severity, p.code) for p in problems] == [
        (sched.Severity.ERROR, "check_not_approved")]
    assert problems[0].params["bulletin"] == draft
    approve(db, draft)
    assert sched.check_range(db.load_schedule(lambda _rel: True), DAY, DAY) == []


def test_the_pure_model_carries_approval_into_the_plan() -> None:
    schedule = Schedule(
        series=(SessionSeries(1, "Sáng", SIX, sched.EVERY_DAY, DAY, None, 600,
                              (ItemSpec.bulletin(1), ItemSpec.bulletin(2))),),
        bulletins={1: BulletinInfo(1, "A", rendered=True, duration=10, audio_present=True,
                                   approved=False),
                   2: BulletinInfo(2, "B", rendered=True, duration=10, audio_present=True)})
    [session] = sched.resolve_day(schedule, DAY).sessions
    assert [(i.bulletin_id, i.approved) for i in session.items] == [(1, False), (2, True)]
    assert session.start == local(DAY, 6)
    errors = [p for p in sched.check_day(schedule, DAY) if p.severity is sched.Severity.ERROR]
    assert [(p.code, p.position) for p in errors] == [("check_not_approved", 0)]
    assert sched.check_day(schedule, DAY + timedelta(days=1))  # and on every later day


def test_check_text_words_the_new_code_in_both_languages() -> None:
    from app import i18n

    problem = sched.Problem(sched.Severity.ERROR, "check_not_approved", "series:1:2026-12-01",
                            0, {"title": "Sáng", "start": "2026-12-01 06:00", "bulletin": 4,
                                "item": "Tiêm chủng", "position": 1})
    try:
        i18n.set_language("vi")
        assert "chưa được duyệt phát" in i18n.check_text(problem)
        assert i18n.reason_text("not_approved") == "bản tin chưa được duyệt phát"
        i18n.set_language("en")
        assert "not approved for air" in i18n.check_text(problem)
    finally:
        i18n.set_language("vi")


def test_single_user_setup_keeps_existing_behaviour(db, store) -> None:
    """No users: bulletins are approved by "system" as they are made, so they play."""
    clock = FakeClock(T0)
    player = FakePlayer(clock)
    daily(db, [ItemSpec.bulletin(bulletin(db, store, "su01"))])
    engine(db, store, clock, player).run(until_idle=True)
    assert [p[0] for p in player.played] == ["su01"]
    assert db.log_entries()[0].status is LogStatus.PLAYED
