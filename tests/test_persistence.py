from datetime import UTC, datetime, timedelta, timezone

import pytest

from media.errors import LoaxaError
from scheduler.persistence import Database
from scheduler.records import Level, LogStatus, SessionState


@pytest.fixture
def db(anydb):
    """Every test here runs on SQLite (the default) and on PostgreSQL (a shared centre)."""
    return anydb


def test_fresh_database_is_at_head_and_upgrade_is_idempotent(db) -> None:
    assert db.schema_revision() == "0006"
    db.upgrade()
    assert db.schema_revision() == "0006"


def test_sqlite_runs_in_wal_with_full_sync(tmp_path) -> None:
    db = Database("sqlite:///" + (tmp_path / "wal.db").as_posix())
    db.upgrade()
    with db.engine.connect() as connection:
        read = lambda pragma: connection.exec_driver_sql(f"PRAGMA {pragma}").scalar()  # noqa: E731
        assert read("journal_mode") == "wal"
        assert read("synchronous") == 2  # FULL
        assert read("busy_timeout") >= 5000
        assert read("foreign_keys") == 1


def test_times_come_back_as_utc(db) -> None:
    b = db.add_bulletin("Tin", "Nội dung")
    at = datetime(2026, 12, 1, 6, 0, tzinfo=timezone(timedelta(hours=7)))
    session_id = db.add_session(at, [b])
    stored = db.get_session(session_id).scheduled_at
    assert stored == at
    assert stored.tzinfo == UTC
    with pytest.raises(ValueError):
        db.add_session(datetime(2026, 12, 1, 6, 0), [b])


def test_bulletins_sessions_and_audio(db) -> None:
    b1 = db.add_bulletin("  Thông báo tiêm chủng ", "Nội dung một", source_name="a.txt",
                         level=Level.PRIORITY)
    bulletin = db.get_bulletin(b1)
    assert (bulletin.title, bulletin.level, bulletin.audio) == \
        ("Thông báo tiêm chủng", Level.PRIORITY, None)
    asset = db.attach_audio(b1, sha256="ab" * 32, rel_path="ab/x.mp3", duration_ms=1500,
                            origin="tts", engine="espeak-ng", voice="vi", source_sha256="k")
    again = db.attach_audio(b1, sha256="ab" * 32, rel_path="ab/x.mp3", duration_ms=1500,
                            origin="tts", engine="espeak-ng", voice="vi", source_sha256="k")
    assert asset.id == again.id
    assert db.get_bulletin(b1).audio == asset
    with pytest.raises(LoaxaError, match="bulletin_not_found"):
        db.add_session(datetime.now(UTC), [b1, 999])
    with pytest.raises(LoaxaError, match="session_empty"):
        db.add_session(datetime.now(UTC), [])
    assert db.list_sessions() == []  # nothing half-stored
    sid = db.add_session(datetime(2026, 12, 1, tzinfo=UTC), [b1, b1], title="Sáng")
    session = db.get_session(sid)
    assert [i.position for i in session.items] == [0, 1]
    assert session.state is SessionState.SCHEDULED


def test_due_and_next_sessions(db) -> None:
    b = db.add_bulletin("Tin", "x")
    t0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    s1 = db.add_session(t0, [b])
    s2 = db.add_session(t0 + timedelta(hours=1), [b])
    assert [s.id for s in db.due_sessions(t0)] == [s1]
    assert db.next_session_start(t0) == t0 + timedelta(hours=1)
    db.set_session_state(s1, SessionState.DONE)
    assert db.due_sessions(t0 + timedelta(hours=2))[0].id == s2


def test_log_entries_and_recovery(db) -> None:
    b = db.add_bulletin("Tin", "x")
    t0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    e1 = db.add_log_entry(scheduled_at=t0, status=LogStatus.PLAYING, bulletin_id=b,
                          bulletin_title="Tin", started_at=t0)
    db.add_log_entry(scheduled_at=t0 + timedelta(days=40), status=LogStatus.MISSED)
    closed = db.close_unfinished_entries("process_stopped")
    assert [e.id for e in closed] == [e1]
    assert db.log_entries()[0].status is LogStatus.INTERRUPTED
    db.finish_log_entry(e1, status=LogStatus.PLAYED, ended_at=t0 + timedelta(seconds=9),
                        played_ms=9000)
    assert [e.id for e in db.log_entries(t0, t0 + timedelta(days=1))] == [e1]
    assert len(db.log_entries(limit=1)) == 1


def test_iter_log_entries_pages_through_ties(db) -> None:
    t0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    ids = [db.add_log_entry(scheduled_at=t0 + timedelta(minutes=n // 3),
                            status=LogStatus.PLAYED) for n in range(25)]
    got = [e.id for e in db.iter_log_entries(t0, t0 + timedelta(days=1), batch=4)]
    assert got == ids


def test_station_identity(db) -> None:
    assert db.get_station().commune_name == ""
    db.set_station(commune_name=" Xã Tân Lập ", centre_name="Trung tâm VHTT tỉnh")
    db.set_station(admin_code="12345")
    station = db.get_station()
    assert (station.commune_name, station.admin_code, station.centre_name) == \
        ("Xã Tân Lập", "12345", "Trung tâm VHTT tỉnh")


def test_revision_changes_on_any_write(db) -> None:
    r0 = db.revision()
    b = db.add_bulletin("Tin", "x")
    r1 = db.revision()
    sid = db.add_session(datetime.now(UTC), [b])
    r2 = db.revision()
    db.add_log_entry(scheduled_at=datetime.now(UTC), status=LogStatus.PLAYED, session_id=sid)
    r3 = db.revision()
    assert len({r0, r1, r2, r3}) == 4


def test_unreachable_database_gives_a_clear_error(tmp_path) -> None:
    from scheduler.persistence import Database

    (tmp_path / "blocker").write_text("not a folder")
    with pytest.raises(LoaxaError) as info:
        bad = Database("sqlite:///" + (tmp_path / "blocker" / "x.db").as_posix())
        bad.upgrade()
    assert info.value.code == "db_unavailable"


def test_bulletin_metadata_round_trips(db) -> None:
    from datetime import date

    b = db.add_bulletin("Tiêm chủng", "Nội dung", category=" Y tế ", document_ref="07/CT-TTg",
                        issuing_body="Thủ tướng Chính phủ", valid_from=date(2026, 12, 1),
                        valid_until=date(2027, 1, 31))
    got = db.get_bulletin(b)
    assert (got.category, got.document_ref, got.issuing_body) == (
        "Y tế", "07/CT-TTg", "Thủ tướng Chính phủ")
    assert (got.valid_from, got.valid_until) == (date(2026, 12, 1), date(2027, 1, 31))
    assert got.priority_rank == 0
