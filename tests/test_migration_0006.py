"""Migration 0006 on a 0005 database with data, SQLite and PostgreSQL: existing bulletins
stay on air (approved by "migration"), the audit trail says so, and users start empty."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from scheduler import schedule as sched
from scheduler.people import ScryptParams
from scheduler.persistence import Database
from scheduler.persistence.db import MIGRATIONS_DIR
from tests.conftest import new_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def old_db(request, tmp_path):
    if request.param == "sqlite":
        url = "sqlite:///" + (tmp_path / "old.db").as_posix()
    else:
        url = new_postgres_database(request.getfixturevalue("postgres_server"))
    database = Database(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    with database.engine.begin() as c:
        for ident, level, body in ((1, "normal", "Tiêm chủng đợt 2"),
                                   (2, "priority", "Phòng chống bão số 9"),
                                   (3, "emergency", "Sơ tán khẩn cấp")):
            c.execute(text(
                "INSERT INTO bulletin (id, title, body, level, source_name, category,"
                " document_ref, issuing_body, priority_rank, audio_source_sha256, created_at,"
                " updated_at) VALUES (:id, :title, :body, :level, '', '', '', '', 0, '',"
                " '2026-11-01 00:00:00', '2026-11-01 00:00:00')"),
                {"id": ident, "title": f"Tin {ident}", "body": body, "level": level})
        c.execute(text(
            "INSERT INTO session_series (id, title, start_local, weekdays, valid_from,"
            " planned_length_s, enabled, created_at, updated_at) VALUES (1, 'Sáng',"
            " '06:00:00', '0123456', '2026-12-01', 600, :yes, '2026-11-01 00:00:00',"
            " '2026-11-01 00:00:00')"), {"yes": True})
        c.execute(text("INSERT INTO series_item (series_id, position, kind, bulletin_id,"
                       " stream_url) VALUES (1, 0, 'bulletin', 1, '')"))
    yield database
    database.close()


def test_upgrading_a_0005_database_keeps_its_bulletins_on_air(old_db) -> None:
    assert old_db.schema_revision() == "0005"
    old_db.upgrade()
    assert old_db.schema_revision() == "0006"
    bulletins = {b.id: b for b in old_db.list_bulletins()}
    assert all(b.approved and b.approved_by == "migration" and b.approved_at is not None
               for b in bulletins.values())
    assert bulletins[1].body == "Tiêm chủng đợt 2"  # data untouched
    [event] = old_db.audit_events()
    assert (event.actor, event.action) == ("migration", "bulletin_approved")
    assert event.details["count"] == 3 and event.details["ids"] == [1, 2, 3]
    assert old_db.count_users() == 0  # single-user setup until the first admin
    schedule = old_db.load_schedule(lambda _rel: True)
    assert schedule.bulletins[1].approved
    codes = [p.code for p in sched.check_day(schedule, schedule.series[0].valid_from)]
    assert "check_not_approved" not in codes
    # an approval by the migration is like any other: an edit takes it back once users exist
    old_db.pin_params = ScryptParams(2 ** 10)
    old_db.add_user("lan", "1111", ["admin", "operator"])
    old_db.login("lan", "1111")
    old_db.update_bulletin(1, level="priority")
    assert not old_db.get_bulletin(1).approved


def test_an_empty_0005_database_upgrades_without_audit_rows(tmp_path) -> None:
    database = Database("sqlite:///" + (tmp_path / "empty.db").as_posix())
    try:
        database.upgrade()
        assert database.audit_events() == [] and database.count_users() == 0
    finally:
        database.close()
