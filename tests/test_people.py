"""People and safety: PIN hashing, lockout (with a fake time), users and roles, the approval
state, and the audit trail — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from media.errors import LoaxaError
from scheduler import people
from scheduler.people import ScryptParams
from scheduler.persistence import Database
from scheduler.records import Level

FAST = ScryptParams(n=2 ** 10, r=8, p=1)  # the tests' cost; the real one is benchmarked
T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 08:00 Vietnam time


@pytest.fixture
def db(anydb: Database) -> Database:
    anydb.pin_params = FAST
    return anydb


def staffed(db: Database) -> Database:
    """admin "lan" (admin only), operator "minh", approver "hoa"; logged in as nobody."""
    db.add_user("lan", "1111", ["admin"], full_name="Nguyễn Thị Lan")
    db.login("lan", "1111", now=T0)
    db.add_user("minh", "2222", ["operator"])
    db.add_user("hoa", "3333", ["approver"])
    db.logout()
    return db


def actions(db: Database) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.target) for e in db.audit_events()]


# -- hashing ---------------------------------------------------------------------------------
def test_a_pin_hash_keeps_its_parameters_and_a_salt_of_its_own() -> None:
    first = people.hash_pin("1234", FAST)
    second = people.hash_pin("1234", FAST)
    assert first != second  # a new salt each time: equal PINs do not give equal hashes
    assert first.split("$")[4] != second.split("$")[4]
    assert first.startswith(f"scrypt${FAST.n}${FAST.r}${FAST.p}$")
    assert people.stored_params(first) == FAST
    assert people.verify_pin("1234", first) and people.verify_pin("1234", second)
    assert not people.verify_pin("1235", first)
    assert not people.verify_pin("", first)
    assert not people.verify_pin("1234", "plain-text-1234")
    assert people.needs_rehash(first) and not people.needs_rehash(first, FAST)


def test_pins_are_four_to_eight_digits_or_a_passphrase() -> None:
    for good in ("1234", "12345678", "một câu dài", "correct horse", "1234567890"):
        assert people.check_pin(good)
    for bad in ("123", "12a4", "abc", " " * 10, "x" * 129, "abc\x00defgh", "１２３４"):
        with pytest.raises(LoaxaError) as info:
            people.check_pin(bad)
        assert info.value.code == "pin_bad"
    # a passphrase is compared in NFC: the same letters typed decomposed still match
    stored = people.hash_pin("Hòa bình 2026", FAST)
    assert people.verify_pin("Ho\u0300a bi\u0300nh 2026", stored)


def test_the_stored_hash_is_upgraded_at_the_next_login(db) -> None:
    db.add_user("lan", "1111", ["admin"])
    stronger = ScryptParams(n=2 ** 11, r=8, p=1)
    db.pin_params = stronger
    db.login("lan", "1111")
    with db._tx() as s:
        stored = s.execute(text("SELECT pin_hash FROM app_user")).scalar()
    assert people.stored_params(stored) == stronger
    db.logout()
    db.login("lan", "1111")  # still the same PIN


# -- lockout -----------------------------------------------------------------------------------
def test_lockout_policy_doubles_up_to_the_longest() -> None:
    count, until = 0, None
    locks = []
    for _ in range(60):
        count, until = people.after_failure(count, T0)
        if until is not None:
            locks.append(until - T0)
    assert locks[:4] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20),
                         timedelta(minutes=40)]
    assert locks[-1] == timedelta(hours=24)


def test_five_wrong_pins_lock_until_a_time_shown_in_vietnam_time(db, tmp_path) -> None:
    staffed(db)
    for n in range(4):
        with pytest.raises(LoaxaError) as info:
            db.login("minh", "9999", now=T0 + timedelta(seconds=n))
        assert info.value.code == "login_failed"
    with pytest.raises(LoaxaError) as info:
        db.login("minh", "9999", now=T0 + timedelta(seconds=4))
    assert info.value.code == "user_locked"
    assert info.value.params["until"] == "2026-12-01 08:05"  # 01:05 UTC, shown +07
    # the right PIN does not help while locked
    with pytest.raises(LoaxaError) as info:
        db.login("minh", "2222", now=T0 + timedelta(minutes=4))
    assert info.value.code == "user_locked"
    # the lock is in the database: a restart (a new Database on the same data) keeps it
    again = Database(db.url)
    again.pin_params = FAST
    try:
        with pytest.raises(LoaxaError) as info:
            again.login("minh", "2222", now=T0 + timedelta(minutes=4, seconds=59))
        assert info.value.code == "user_locked"
        assert again.login("minh", "2222", now=T0 + timedelta(minutes=5, seconds=5)).name \
            == "minh"
    finally:
        again.close()
    assert db.get_user("minh").failed_logins == 0
    kinds = [a for _, a, target in actions(db) if target == "user:minh"]
    assert kinds.count("login_failed") == 5 and kinds.count("user_locked") == 1


def test_the_second_lock_is_longer_and_an_admin_reset_unlocks(db) -> None:
    staffed(db)
    for n in range(10):
        with pytest.raises(LoaxaError):
            db.login("minh", "0000", now=T0 + timedelta(minutes=6 * (n // 5), seconds=n))
    with pytest.raises(LoaxaError) as info:
        db.login("minh", "2222", now=T0 + timedelta(minutes=15))
    assert info.value.code == "user_locked"
    assert info.value.params["until"] == "2026-12-01 08:16"  # 10 minutes after 08:06
    db.login("lan", "1111", now=T0)
    db.set_user_pin("minh", "4444")
    db.logout()
    assert db.login("minh", "4444", now=T0 + timedelta(minutes=15)).name == "minh"


def test_an_unknown_name_and_a_wrong_pin_give_the_same_answer(db) -> None:
    staffed(db)
    for name, pin in (("nobody", "1111"), ("lan", "0000")):
        with pytest.raises(LoaxaError) as info:
            db.login(name, pin)
        assert info.value.code == "login_failed"
    assert ("nobody", "login_failed", "user:nobody") in actions(db)


# -- users and roles ---------------------------------------------------------------------------
def test_the_first_user_must_be_an_admin_and_switches_enforcement_on(db) -> None:
    b = db.add_bulletin("Tin", "Nội dung")  # single-user setup: allowed, as system
    with pytest.raises(LoaxaError) as info:
        db.add_user("minh", "2222", ["operator"])
    assert info.value.code == "first_user_admin"
    db.add_user("lan", "1111", "admin")
    with pytest.raises(LoaxaError) as info:
        db.add_bulletin("Tin 2", "Nội dung")
    assert info.value.code == "login_required"
    with pytest.raises(LoaxaError) as info:
        db.update_bulletin(b, title="Đổi")
    assert info.value.code == "login_required"
    assert db.get_bulletin(b).title == "Tin"  # nothing half-stored
    assert db.count_bulletins() == 1


def test_roles_decide_who_may_do_what(db) -> None:
    staffed(db)
    db.login("lan", "1111")
    with pytest.raises(LoaxaError) as info:
        db.add_bulletin("Tin", "Nội dung")  # admin only: not an operator
    assert info.value.code == "permission_denied"
    assert info.value.params["roles"] == "operator"
    db.login("minh", "2222")
    b = db.add_bulletin("Tin", "Nội dung")
    with pytest.raises(LoaxaError) as info:
        db.approve_bulletin(b)
    assert info.value.code == "permission_denied"
    with pytest.raises(LoaxaError):
        db.add_user("tam", "5555", ["operator"])
    with pytest.raises(LoaxaError):
        db.set_station(commune_name="Xã A")
    db.login("hoa", "3333")
    db.approve_bulletin(b)
    assert db.get_bulletin(b).approved_by == "hoa"


def test_the_last_admin_cannot_be_disabled_or_lose_the_role(db) -> None:
    staffed(db)
    db.login("lan", "1111")
    for change in (lambda: db.set_user_enabled("lan", False),
                   lambda: db.set_user_roles("lan", ["operator"])):
        with pytest.raises(LoaxaError) as info:
            change()
        assert info.value.code == "last_admin"
    db.set_user_roles("hoa", ["approver", "admin"])
    db.set_user_enabled("lan", False)  # another admin exists now
    db.logout()
    with pytest.raises(LoaxaError) as info:
        db.login("lan", "1111")
    assert info.value.code == "user_disabled"
    db.login("hoa", "3333")
    with pytest.raises(LoaxaError) as info:
        db.set_user_enabled("hoa", False)
    assert info.value.code == "last_admin"
    db.set_user_enabled("lan", True)
    assert db.get_user("lan").enabled


def test_a_user_changes_their_own_pin_with_the_old_one(db) -> None:
    staffed(db)
    db.login("minh", "2222")
    with pytest.raises(LoaxaError) as info:
        db.set_user_pin("minh", "7777", old_pin="0000")
    assert info.value.code == "pin_wrong"
    with pytest.raises(LoaxaError) as info:
        db.set_user_pin("hoa", "7777")  # somebody else's: admins only
    assert info.value.code == "permission_denied"
    db.set_user_pin("minh", "7777", old_pin="2222")
    db.logout()
    db.login("minh", "7777")
    assert ("minh", "user_pin_changed", "user:minh") in actions(db)


def test_a_wrong_old_pin_counts_towards_the_lockout(db) -> None:
    staffed(db)
    db.login("minh", "2222", now=T0)
    for n in range(4):
        with pytest.raises(LoaxaError) as info:
            db.set_user_pin("minh", "7777", old_pin="0000", now=T0 + timedelta(seconds=n))
        assert info.value.code == "pin_wrong"
    assert db.get_user("minh").failed_logins == 4
    with pytest.raises(LoaxaError) as info:
        db.set_user_pin("minh", "7777", old_pin="0000", now=T0 + timedelta(seconds=4))
    assert info.value.code == "user_locked"
    assert info.value.params["until"] == "2026-12-01 08:05"
    # while locked even the right old PIN changes nothing, and the login is refused too
    with pytest.raises(LoaxaError) as info:
        db.set_user_pin("minh", "7777", old_pin="2222", now=T0 + timedelta(minutes=1))
    assert info.value.code == "user_locked"
    db.logout()
    with pytest.raises(LoaxaError) as info:
        db.login("minh", "2222", now=T0 + timedelta(minutes=1))
    assert info.value.code == "user_locked"
    events = [e for e in db.audit_events() if e.target == "user:minh"]
    failed = [e for e in events if e.action == "login_failed"]
    assert len(failed) == 5 and all(e.details["why"] == "pin_change" for e in failed)
    assert [e.actor for e in events if e.action == "user_locked"] == ["minh"]
    # after the lock the right old PIN works and resets the count
    db.login("minh", "2222", now=T0 + timedelta(minutes=6))
    db.set_user_pin("minh", "7777", old_pin="2222", now=T0 + timedelta(minutes=6))
    assert db.get_user("minh").failed_logins == 0


def test_a_new_pin_is_checked_before_the_old_one(db) -> None:
    staffed(db)
    db.login("minh", "2222", now=T0)
    with pytest.raises(LoaxaError) as info:
        db.set_user_pin("minh", "12", old_pin="0000")
    assert info.value.code == "pin_bad"
    assert db.get_user("minh").failed_logins == 0  # a typing error of the new PIN: no count


def test_any_user_may_type_an_emergency_text_but_not_a_normal_one(db) -> None:
    staffed(db)
    db.login("hoa", "3333", now=T0)  # an approver: no operator role
    with pytest.raises(LoaxaError) as info:
        db.add_bulletin("Thông báo", "Nội dung thường.")
    assert info.value.code == "permission_denied"
    bulletin_id = db.add_bulletin("Khẩn cấp", "Lũ về, sơ tán ngay.", level=Level.EMERGENCY)
    assert ("hoa", "bulletin_added", f"bulletin:{bulletin_id}") in actions(db)
    db.logout()
    with pytest.raises(LoaxaError) as info:
        db.add_bulletin("Khẩn cấp", "Lũ về.", level=Level.EMERGENCY)
    assert info.value.code == "login_required"


def test_user_names_are_checked() -> None:
    for bad in ("", "   ", "a" * 41, "x\ty", "system", "Migration"):
        with pytest.raises(LoaxaError):
            people.user_name_ok(bad)
    assert people.user_name_ok("  Nguyễn Lan ") == "Nguyễn Lan"


# -- approval ---------------------------------------------------------------------------------
def test_editing_text_or_level_takes_the_approval_back(db) -> None:
    staffed(db)
    db.login("minh", "2222")
    b = db.add_bulletin("Tin", "Nội dung")
    assert not db.get_bulletin(b).approved
    db.login("hoa", "3333")
    db.approve_bulletin(b)
    db.login("minh", "2222")
    db.update_bulletin(b, title="Tin mới", category="Y tế")  # not read on air: kept
    assert db.get_bulletin(b).approved
    db.update_bulletin(b, level=Level.PRIORITY)
    got = db.get_bulletin(b)
    assert not got.approved and got.approved_by == "" and got.approved_at is None
    assert ("minh", "bulletin_unapproved", f"bulletin:{b}") in actions(db)
    db.login("hoa", "3333")
    db.approve_bulletin(b)
    db.unapprove_bulletin(b)
    assert not db.get_bulletin(b).approved


def test_an_approval_covers_only_the_text_it_was_given_for(db) -> None:
    """A text changed behind LoaXa's back (plain SQL) is no longer approved."""
    staffed(db)
    db.login("minh", "2222")
    b = db.add_bulletin("Tin", "Nội dung")
    db.login("hoa", "3333")
    db.approve_bulletin(b)
    assert db.get_bulletin(b).approved
    with db.engine.begin() as c:
        c.execute(text("UPDATE bulletin SET body = 'Khác' WHERE id = :id"), {"id": b})
    assert not db.get_bulletin(b).approved
    assert not db.load_schedule().bulletins[b].approved


def test_single_user_setup_approves_as_system(db) -> None:
    b = db.add_bulletin("Tin", "Nội dung")
    got = db.get_bulletin(b)
    assert got.approved and got.approved_by == "system"
    db.update_bulletin(b, level=Level.PRIORITY)
    assert db.get_bulletin(b).approved  # approved again for the new level
    assert [a for _, a, _ in actions(db)] == ["bulletin_added", "bulletin_approved",
                                              "bulletin_changed", "bulletin_approved"]


# -- the audit trail -------------------------------------------------------------------------
def test_every_action_that_matters_is_in_the_audit_trail(db) -> None:
    from datetime import date, time

    from scheduler.schedule import EVERY_DAY, ItemSpec

    staffed(db)
    db.login("lan", "1111")
    db.set_user_roles("minh", ["operator", "approver"])
    db.set_station(commune_name="Xã Yên Hòa", centre_name="Trung tâm huyện")
    db.login("minh", "2222")
    b = db.add_bulletin("Tin", "Nội dung")
    db.approve_bulletin(b)
    series = db.add_series(title="Sáng", start=time(6), weekdays=EVERY_DAY,
                           valid_from=date(2026, 12, 1), valid_until=None, length_s=600,
                           items=[ItemSpec.bulletin(b)])
    db.set_series_enabled(series, False)
    db.change_occurrence(series, date(2026, 12, 2), cancel=True)
    one_off = db.add_session(T0 + timedelta(days=3), [b], title="Họp")
    db.cancel_session(one_off)
    db.add_campaign(bulletin_id=b, first_day=date(2026, 12, 1), last_day=date(2026, 12, 5))
    db.set_quiet_hours([(time(22), time(5))])
    db.set_quiet_hours([])
    alert = db.add_bulletin("Báo động", "Lũ", level=Level.EMERGENCY)
    emergency = db.add_emergency(alert, requested_at=T0, requested_by="ai đó")
    db.cancel_emergency(emergency, by="ai đó", at=T0)
    db.record_audit("log_exported", "log", {"format": "csv"})
    got = actions(db)
    for expected in [
        ("lan", "user_roles_changed", "user:minh"), ("lan", "station_changed", "station"),
        ("minh", "bulletin_added", f"bulletin:{b}"),
        ("minh", "bulletin_approved", f"bulletin:{b}"),
        ("minh", "series_added", f"series:{series}"),
        ("minh", "series_changed", f"series:{series}"),
        ("minh", "occurrence_changed", f"series:{series}"),
        ("minh", "oneoff_added", f"oneoff:{one_off}"),
        ("minh", "oneoff_cancelled", f"oneoff:{one_off}"),
        ("minh", "campaign_added", "campaign:1"), ("minh", "quiet_hours_set", "quiet_hours"),
        ("minh", "emergency_triggered", f"bulletin:{alert}"),
        ("minh", "emergency_cancelled", f"emergency:{emergency}"),
        ("minh", "log_exported", "log"), ("lan", "login", "user:lan"),
        ("system", "user_added", "user:lan"), ("lan", "user_added", "user:minh"),
    ]:
        assert expected in got, expected
    windows = [e.details["windows"] for e in db.audit_events() if e.action == "quiet_hours_set"]
    assert windows == [["22:00-05:00"], []]
    # who triggered and who cancelled is the logged-in user, whatever was typed
    listed = db.list_emergencies()[0]
    assert listed.requested_by == "minh"
    series_change = next(e for e in db.audit_events() if e.action == "series_changed")
    assert series_change.details == {"enabled": [True, False]}
    assert all(e.at.tzinfo is not None for e in db.audit_events())


def test_audit_events_by_period_and_as_csv(db, tmp_path) -> None:
    from datetime import date

    from scheduler.audit import export_audit

    staffed(db)
    out = tmp_path / "thao-tác.csv"
    with pytest.raises(LoaxaError) as info:  # nobody logged in
        export_audit(db, date(2026, 1, 1), date(2030, 1, 1), out, ["a"] * 6)
    assert info.value.code == "login_required" and not out.exists()
    db.login("lan", "1111")
    count = export_audit(db, date(2026, 1, 1), date(2030, 1, 1), out,
                         ["Thời điểm", "UTC", "Người", "Hành động", "Đối tượng", "Chi tiết"])
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Thời điểm,UTC,Người")
    assert len(lines) == count + 1 and "Nguyễn" not in lines[1]
    assert db.audit_events()[-1].action == "audit_exported"
    assert db.audit_events(T0 + timedelta(days=3650)) == []


def test_a_user_disabled_elsewhere_loses_the_rights_at_once(db) -> None:
    """The window of a user stays open; an admin in another process disables the user or
    takes a role away: the next change is refused."""
    staffed(db)
    db.login("minh", "2222")
    db.add_bulletin("Tin", "Nội dung")
    admin = Database(db.url)
    admin.pin_params = FAST
    try:
        admin.login("lan", "1111")
        admin.set_user_roles("minh", ["approver"])
        with pytest.raises(LoaxaError) as info:
            db.add_bulletin("Tin 2", "Nội dung")
        assert info.value.code == "permission_denied"
        admin.set_user_enabled("minh", False)
        with pytest.raises(LoaxaError) as info:
            db.approve_bulletin(1)
        assert info.value.code == "user_disabled"
    finally:
        admin.close()
    assert db.count_bulletins() == 1


def test_the_audit_trail_is_read_by_approvers_and_admins_only(db, tmp_path) -> None:
    from datetime import date

    from scheduler.audit import export_audit

    staffed(db)
    header = ["Thời điểm", "UTC", "Người", "Hành động", "Đối tượng", "Chi tiết"]
    out = tmp_path / "thao-tác.csv"
    db.login("minh", "2222")
    with pytest.raises(LoaxaError) as info:  # an operator
        export_audit(db, date(2026, 1, 1), date(2030, 1, 1), out, header)
    assert info.value.code == "permission_denied" and not out.exists()
    db.login("hoa", "3333")  # the commune's leadership
    assert export_audit(db, date(2026, 1, 1), date(2030, 1, 1), out, header) > 0
    assert actions(db)[-1] == ("hoa", "audit_exported", "audit")


def test_registering_a_commune_at_the_centre_is_an_admins_audited_change(db) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from scheduler.logbook.keys import StationKey

    key = StationKey(Ed25519PrivateKey.generate())
    staffed(db)
    db.login("minh", "2222")  # an operator
    with pytest.raises(LoaxaError) as info:
        db.centre_register(key.public_hex, "Xã Ea Kao", "24100")
    assert info.value.code == "permission_denied"
    assert db.centre_stations() == []
    db.login("lan", "1111")
    station = db.centre_register(key.public_hex, "Xã Ea Kao", "24100")
    assert actions(db)[-1] == ("lan", "centre_station_registered", station.station_id)
    assert db.audit_events()[-1].details == {"commune": "Xã Ea Kao", "code": "24100",
                                             "renamed": False}
