"""The outbox: a commune (SQLite) pushes its sealed log entries into the centre's database
(the throwaway PostgreSQL server; a second SQLite file where said). Idempotent, resumable
after an interruption, refusing a tampered chain or an unregistered station, and a clear
error when the centre cannot be reached."""

from __future__ import annotations

import itertools
import os
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from media.errors import LoaxaError
from scheduler.logbook import outbox
from scheduler.logbook.chain import GENESIS_HASH, entry_fields, entry_hash
from scheduler.logbook.outbox import push_new_entries, receive_batch
from scheduler.logbook.service import ensure_station_key, register_station
from scheduler.persistence import Database
from scheduler.records import LogStatus
from tests.conftest import new_postgres_database, run_cli

T0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
DAYS = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


_roles = itertools.count()


def _pg_url(server: str) -> str:
    return new_postgres_database(server)



def _air(db: Database, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        at = T0 + timedelta(minutes=10 * n)
        db.add_log_entry(scheduled_at=at, status=LogStatus.PLAYED, started_at=at,
                         ended_at=at + timedelta(seconds=90), played_ms=90_000,
                         bulletin_title=f"Tin phòng chống sốt xuất huyết số {n}",
                         category="Y tế", document_ref="07/CT-TTg", level="normal",
                         output_device="Loa xã")


@pytest.fixture
def commune(tmp_path):
    db = Database("sqlite:///" + (tmp_path / "commune.db").as_posix())
    db.upgrade()
    db.set_station(commune_name="Xã Tân Lập", admin_code="25252",
                   centre_name="Trung tâm Văn hóa tỉnh")
    key = ensure_station_key(db, tmp_path / "station-key.pem")
    yield db, key
    db.close()


@pytest.fixture
def centre_url(postgres_server) -> str:
    """The centre's PostgreSQL database, set up as the centre does (migrations)."""
    url = _pg_url(postgres_server)
    db = Database(url)
    db.upgrade()
    db.close()
    return url


@pytest.fixture
def centre(centre_url, commune):
    _, key = commune
    db = Database.open_centre(centre_url)
    register_station(db, key.public_hex, "Xã Tân Lập", "25252")
    yield db
    db.close()


def _centre_rows(centre: Database) -> list[dict]:
    return centre.centre_entries(*DAYS)


def _assert_complete_chain(rows: list[dict], count: int) -> None:
    assert [r["seq"] for r in rows] == list(range(1, count + 1))
    prev = GENESIS_HASH
    for row in rows:
        assert row["prev_hash"] == prev and entry_hash(row) == row["entry_hash"]
        prev = row["entry_hash"]


def test_push_sends_all_then_nothing_then_only_the_new(commune, centre):
    db, key = commune
    _air(db, 7)
    first = push_new_entries(db, centre, key.public_hex, batch=3)
    assert (first.sent, first.already_there, first.last_seq) == (7, 0, 7)
    assert first.commune_name == "Xã Tân Lập"
    again = push_new_entries(db, centre, key.public_hex, batch=3)
    assert (again.sent, again.already_there, again.last_seq) == (0, 0, 7)
    _air(db, 2, start=7)
    more = push_new_entries(db, centre)  # identity taken from the commune's database
    assert (more.sent, more.already_there, more.last_seq) == (2, 0, 9)
    rows = _centre_rows(centre)
    _assert_complete_chain(rows, 9)
    local = [entry_fields(e) for e in db.iter_chain(1, 9)]
    assert rows == local  # byte-identical content, diacritics included
    station = centre.centre_stations()[0]
    assert (station.entry_count, station.last_seq, station.contiguous_seq) == (9, 9, 9)
    assert db.chain_head()[0] == 9  # nothing removed locally: the log is the outbox


def test_interrupted_push_resumes_and_sends_nothing_twice(commune, centre, monkeypatch):
    db, key = commune
    _air(db, 10)
    real_import = centre.centre_import
    stored_batches: list[list[int]] = []

    def network_lost_after_first_batch(station_id, entries):
        if stored_batches:
            raise LoaxaError("db_unavailable", url="x", reason="server closed the connection")
        stored_batches.append([e["seq"] for e in entries])
        return real_import(station_id, entries)

    monkeypatch.setattr(centre, "centre_import", network_lost_after_first_batch)
    with pytest.raises(LoaxaError) as info:
        push_new_entries(db, centre, key.public_hex, batch=4)
    assert info.value.code == "centre_unreachable"
    assert stored_batches == [[1, 2, 3, 4]]
    assert [r["seq"] for r in _centre_rows(centre)] == [1, 2, 3, 4]

    sent_seqs: list[int] = []

    def recording(station_id, entries):
        sent_seqs.extend(e["seq"] for e in entries)
        return real_import(station_id, entries)

    monkeypatch.setattr(centre, "centre_import", recording)
    resumed = push_new_entries(db, centre, key.public_hex, batch=4)
    assert (resumed.sent, resumed.already_there, resumed.last_seq) == (6, 0, 10)
    assert sent_seqs == list(range(5, 11))  # resumed after the centre's last seq
    _assert_complete_chain(_centre_rows(centre), 10)


def test_a_push_fills_holes_left_by_out_of_order_packages(commune, centre):
    """The centre holds seq 4–6 from a package: the push stores 1–3 and 7–8, and only
    compares 4–6."""
    db, key = commune
    _air(db, 8)
    middle = [entry_fields(e) for e in db.iter_chain(4, 6)]
    assert centre.centre_import(key.station_id, middle) == (3, 0)
    result = push_new_entries(db, centre, key.public_hex, batch=5)
    assert (result.sent, result.already_there, result.last_seq) == (5, 3, 8)
    _assert_complete_chain(_centre_rows(centre), 8)


def test_a_tampered_local_entry_is_refused_and_nothing_of_its_batch_stored(commune, centre):
    db, key = commune
    _air(db, 3)
    assert push_new_entries(db, centre, key.public_hex).sent == 3
    _air(db, 3, start=3)
    with db.engine.begin() as c:
        c.exec_driver_sql("DROP TRIGGER broadcast_log_entry_sealed_no_update")
        c.exec_driver_sql("UPDATE broadcast_log_entry SET played_ms = 1 WHERE seq = 5")
    with pytest.raises(LoaxaError) as info:
        push_new_entries(db, centre, key.public_hex)
    assert info.value.code == "push_chain_broken" and info.value.params["seq"] == 5
    assert [r["seq"] for r in _centre_rows(centre)] == [1, 2, 3]  # not even seq 4


def test_the_centre_checks_every_batch_itself(commune, centre):
    """What the centre accepts, whoever sends it: a batch with a changed field, a
    re-hashed batch that does not link to the stored chain, a wrong genesis."""
    db, key = commune
    _air(db, 6)
    entries = [entry_fields(e) for e in db.iter_chain(1, 6)]
    assert receive_batch(centre, key.public_hex, entries[:3]) == (3, 0)

    changed = [dict(e) for e in entries[3:]]
    changed[1]["bulletin_title"] = "Tin đã bị sửa"
    with pytest.raises(LoaxaError) as info:
        receive_batch(centre, key.public_hex, changed)
    assert info.value.code == "push_chain_broken" and info.value.params["seq"] == 5

    forged = [dict(e) for e in entries[3:]]
    prev = "f" * 64  # a chain of its own, consistent inside, not linking to seq 3
    for e in forged:
        e["prev_hash"] = prev
        e["entry_hash"] = prev = entry_hash(e)
    with pytest.raises(LoaxaError) as info:
        receive_batch(centre, key.public_hex, forged)
    assert info.value.code == "centre_chain_mismatch" and info.value.params["seq"] == 4

    bad_type = [dict(e) for e in entries[3:]]
    bad_type[0]["played_ms"] = -5
    with pytest.raises(LoaxaError) as info:
        receive_batch(centre, key.public_hex, bad_type)
    assert (info.value.code, info.value.params["field"]) == ("push_bad_entry", "played_ms")

    genesis = [dict(entries[0])]
    genesis[0]["prev_hash"] = "1" * 64
    genesis[0]["entry_hash"] = entry_hash(genesis[0])
    with pytest.raises(LoaxaError, match="push_chain_broken"):
        receive_batch(centre, key.public_hex, genesis)

    assert [r["seq"] for r in _centre_rows(centre)] == [1, 2, 3]
    assert receive_batch(centre, key.public_hex, entries[2:]) == (3, 1)  # overlap: idempotent
    _assert_complete_chain(_centre_rows(centre), 6)


def test_a_commune_restored_from_an_older_copy_is_told_not_forked(commune, centre,
                                                                  tmp_path):
    db, _ = commune
    _air(db, 2)
    older = tmp_path / "older.db"
    with db.engine.connect() as c:  # the backup made after two entries
        c.exec_driver_sql(f"VACUUM INTO '{older.as_posix()}'")
    _air(db, 2, start=2)
    assert push_new_entries(db, centre).sent == 4
    restored = Database("sqlite:///" + older.as_posix())
    with pytest.raises(LoaxaError) as info:
        push_new_entries(restored, centre)
    assert info.value.code == "centre_ahead"
    assert info.value.params == {"centre_seq": 4, "local_seq": 2}
    restored.close()


def test_an_unregistered_station_is_refused(commune, centre_url, tmp_path):
    db, key = commune
    _air(db, 2)
    centre = Database.open_centre(centre_url)
    with pytest.raises(LoaxaError) as info:
        push_new_entries(db, centre, key.public_hex)
    assert info.value.code == "centre_unregistered"
    assert info.value.params["station"] == key.station_id
    other = Database("sqlite:///" + (tmp_path / "other.db").as_posix())
    other.upgrade()
    other_key = ensure_station_key(other, tmp_path / "other-key.pem")
    register_station(centre, other_key.public_hex, "Xã khác")
    with pytest.raises(LoaxaError, match="centre_unregistered"):
        push_new_entries(db, centre, key.public_hex)
    with pytest.raises(LoaxaError, match="centre_unregistered"):
        receive_batch(centre, key.public_hex, [entry_fields(e) for e in db.iter_chain(1, 2)])
    assert _centre_rows(centre) == []
    other.close()
    centre.close()


def test_after_a_new_key_the_new_identity_pushes_its_part_of_the_chain(commune, centre,
                                                                       tmp_path):
    from scheduler.logbook.service import new_station_key

    db, old_key = commune
    _air(db, 3)
    assert push_new_entries(db, centre).sent == 3
    new_key = new_station_key(db, tmp_path / "station-key.pem")
    _air(db, 2, start=3)
    with pytest.raises(LoaxaError, match="centre_unregistered"):
        push_new_entries(db, centre)  # the centre has not registered the new key yet
    register_station(centre, new_key.public_hex, "Xã Tân Lập")
    result = push_new_entries(db, centre)
    assert (result.station_id, result.sent, result.last_seq) == (new_key.station_id, 2, 5)
    rows = centre.centre_entries(*DAYS, station_id=new_key.station_id)
    assert [r["seq"] for r in rows] == [4, 5]
    old_rows = centre.centre_entries(*DAYS, station_id=old_key.station_id)
    assert rows[0]["prev_hash"] == old_rows[-1]["entry_hash"]  # one chain across the keys
    assert push_new_entries(db, centre).sent == 0


def test_a_centre_account_with_only_push_rights_works_and_without_is_refused_clearly(
        commune, centre, centre_url):
    """The grants the README gives a commune's account on the centre's PostgreSQL."""
    db, key = commune
    _air(db, 2)
    role = f"xa_{next(_roles)}_{os.getpid()}"
    with centre.engine.begin() as c:
        c.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
    as_commune = centre_url.replace("postgres@", f"{role}@")
    pusher = Database.open_centre(as_commune)
    with pytest.raises(LoaxaError) as info:
        push_new_entries(db, pusher, key.public_hex)
    assert info.value.code == "centre_unreachable"
    assert "permission denied" in info.value.params["reason"]
    with centre.engine.begin() as c:
        c.exec_driver_sql(f"GRANT SELECT ON centre_station TO {role}")
        c.exec_driver_sql(f"GRANT SELECT, INSERT ON centre_log_entry TO {role}")
        c.exec_driver_sql(f"GRANT USAGE ON SEQUENCE centre_log_entry_id_seq TO {role}")
    assert push_new_entries(db, pusher, key.public_hex).sent == 2
    pusher.close()
    _assert_complete_chain(_centre_rows(centre), 2)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_or_wrong_centre_gives_a_clear_error_and_loses_nothing(commune, tmp_path):
    db, key = commune
    _air(db, 3)
    down = Database.open_centre(f"postgresql+psycopg://loaxa:secret@127.0.0.1:{_closed_port()}"
                                "/centre")
    with pytest.raises(LoaxaError) as info:
        push_new_entries(db, down, key.public_hex)
    assert info.value.code == "centre_unreachable"
    assert "secret" not in str(info.value)  # the password is never shown
    down.close()
    with pytest.raises(LoaxaError, match="centre_bad_url"):
        Database.open_centre("not a database address")
    empty = Database.open_centre("sqlite:///" + (tmp_path / "empty.db").as_posix())
    with pytest.raises(LoaxaError, match="centre_not_ready"):
        push_new_entries(db, empty, key.public_hex)
    empty.close()
    assert db.chain_head()[0] == 3 and len(list(db.iter_chain(1, 3))) == 3


def test_a_sqlite_file_can_be_the_centre(commune, tmp_path):
    db, key = commune
    _air(db, 4)
    centre = Database("sqlite:///" + (tmp_path / "centre.db").as_posix())
    centre.upgrade()
    register_station(centre, key.public_hex, "Xã Tân Lập")
    assert push_new_entries(db, centre, key.public_hex, batch=2).sent == 4
    assert push_new_entries(db, centre, key.public_hex, batch=2).sent == 0
    _assert_complete_chain(_centre_rows(centre), 4)
    centre.close()


# -- the command line -------------------------------------------------------------------
def _cli_commune(home: Path) -> str:
    """The LOAXA_HOME commune: key made by the CLI, three entries aired; its public key."""
    run_cli("station", "set", "--commune", "Xã Tân Lập", "--code", "25252", check=True)
    from app.paths import app_paths

    db = Database(app_paths().database_url())
    _air(db, 3)
    public_key = db.station_public_key()
    db.close()
    return public_key


def test_cli_push_then_centre_list_shows_the_last_seq(loaxa_home, tmp_path, centre_url):
    public_key = _cli_commune(loaxa_home)
    at_centre = {"LOAXA_HOME": str(tmp_path / "centre-home"), "LOAXA_DATABASE_URL": centre_url}
    run_cli("centre", "register", public_key, "--name", "Xã Tân Lập", env=at_centre,
            check=True)
    unset = run_cli("centre", "push")
    assert unset.returncode == 1 and "centre_database_url" in unset.stderr
    from app.paths import app_paths

    app_paths().settings_file.write_text(f'centre_database_url = "{centre_url}"\n',
                                         encoding="utf-8")
    pushed = run_cli("centre", "push", check=True)
    assert "Đã gửi 3 mục nhật ký mới" in pushed.stdout and "cuối ở trung tâm: 3" in pushed.stdout
    again = run_cli("centre", "push", check=True)
    assert "Đã gửi 0 mục" in again.stdout
    listing = run_cli("centre", "list", env=at_centre, check=True).stdout
    assert "Xã Tân Lập" in listing and "3 mục" in listing and "số thứ tự cuối 3" in listing
    down = run_cli("centre", "push", "--url",
                   f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/x")
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert "Không kết nối được cơ sở dữ liệu của trung tâm" in down.stderr


def test_cli_push_every_keeps_going_through_failures(loaxa_home, tmp_path, capsys,
                                                     monkeypatch):
    """--every: a failed round (centre not set up yet) is reported and the loop goes on;
    entries aired between rounds go out in the next; Ctrl+C ends it cleanly."""
    import time

    from app.cli import main

    public_key = _cli_commune(loaxa_home)
    centre_path = tmp_path / "centre.db"
    rounds = []

    def sleep(_seconds):
        rounds.append(len(rounds))
        if len(rounds) == 1:  # the centre sets itself up after the first failed round
            centre = Database("sqlite:///" + centre_path.as_posix())
            centre.upgrade()
            register_station(centre, public_key, "Xã Tân Lập")
            centre.close()
        elif len(rounds) == 2:
            from app.paths import app_paths

            db = Database(app_paths().database_url())
            _air(db, 2, start=3)
            db.close()
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", sleep)
    code = main(["centre", "push", "--every", "5", "--url",
                 "sqlite:///" + centre_path.as_posix()])
    out, err = capsys.readouterr()
    assert code == 0
    assert "chưa phải cơ sở dữ liệu trung tâm" in err
    assert "Đã gửi 3 mục" in out and "Đã gửi 2 mục" in out and "Đã dừng" in out
    centre = Database("sqlite:///" + centre_path.as_posix())
    _assert_complete_chain(centre.centre_entries(*DAYS), 5)
    centre.close()


def test_batch_sizes_are_bounded(commune, centre):
    db, key = commune
    with pytest.raises(ValueError):
        push_new_entries(db, centre, key.public_hex, batch=0)
    assert outbox.MAX_BATCH >= outbox.DEFAULT_BATCH
