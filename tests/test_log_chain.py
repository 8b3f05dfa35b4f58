"""The tamper-evident log: sealing into the hash chain, append-only triggers, the station
key, signed packages (every flipped byte detected) and the centre's import."""

from __future__ import annotations

import json
import stat
import sys
import threading
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from media.errors import LoaxaError
from scheduler.logbook.chain import GENESIS_HASH, entry_fields, entry_hash, fingerprint
from scheduler.logbook.keys import create_key, read_key
from scheduler.logbook.package import verify_package
from scheduler.logbook.service import (
    ensure_station_key,
    import_package,
    make_package,
    new_station_key,
    register_station,
)
from scheduler.persistence import Database
from scheduler.records import LogStatus, SessionState
from tests.conftest import new_database

T0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 07:00 on 1 December in Vietnam


def _new_db(request: pytest.FixtureRequest, tmp_path: Path, kind: str,
            name: str = "chain") -> Database:
    return new_database(request, tmp_path, kind, name)


@pytest.fixture
def keyed(tmp_path):
    """A SQLite database with its station key and identity."""
    database = Database("sqlite:///" + (tmp_path / "keyed.db").as_posix())
    database.upgrade()
    database.set_station(commune_name="Xã Tân Lập", admin_code="12345",
                         centre_name="Trung tâm Văn hóa - Thể thao tỉnh")
    key = ensure_station_key(database, tmp_path / "station-key.pem")
    yield database, key
    database.close()


def _play(db: Database, at: datetime, title: str = "Tin", status=LogStatus.PLAYED,
          seconds: int = 30) -> int:
    entry = db.add_log_entry(scheduled_at=at, status=LogStatus.PLAYING, bulletin_title=title,
                             started_at=at, audio_sha256="ab" * 32, output_device="Loa",
                             session_key="s1@2026-12-01T00:00Z", item_position=0,
                             level="normal", category="Y tế", document_ref="07/CT-TTg")
    db.finish_log_entry(entry, status=status, ended_at=at + timedelta(seconds=seconds),
                        played_ms=seconds * 1000)
    return entry


def _assert_chain(entries) -> None:
    prev = GENESIS_HASH
    for n, entry in enumerate(entries, start=1):
        assert entry.seq == n
        assert entry.prev_hash == prev
        assert entry_hash(entry_fields(entry)) == entry.entry_hash
        prev = entry.entry_hash


# -- sealing --------------------------------------------------------------------------
def test_final_entries_are_sealed_into_a_chain_and_read_back_identically(anydb, tmp_path):
    key = ensure_station_key(anydb, tmp_path / "k.pem")
    sid = anydb.add_session(T0, [anydb.add_bulletin("Tin", "x")])
    playing = anydb.add_log_entry(scheduled_at=T0, status=LogStatus.PLAYING, session_id=sid,
                                  bulletin_title="Tiêm chủng “sởi”\n\ttab", started_at=T0,
                                  session_state=SessionState.ON_AIR)
    # +07:00 input times are stored and hashed as the same UTC instant.
    local = T0.astimezone(timezone(timedelta(hours=7)))
    anydb.add_log_entry(scheduled_at=local, status=LogStatus.MISSED, reason="late")
    entries = anydb.log_entries()
    assert [e.seq for e in entries] == [None, 1]  # the playing one waits
    anydb.finish_log_entry(playing, status=LogStatus.PLAYED,
                           ended_at=T0 + timedelta(seconds=9, microseconds=123456),
                           played_ms=9123)
    _play(anydb, T0 + timedelta(hours=1))
    anydb.close_unfinished_entries("process_stopped")  # nothing playing: no change
    chain = sorted((e for e in anydb.log_entries() if e.seq), key=lambda e: e.seq)
    assert [e.status for e in chain] == [LogStatus.MISSED, LogStatus.PLAYED, LogStatus.PLAYED]
    assert {e.station_id for e in chain} == {key.station_id}
    assert all(e.sealed_at is not None for e in chain)
    _assert_chain(chain)
    assert anydb.chain_head() == (3, chain[-1].entry_hash)
    with pytest.raises(LoaxaError, match="log_entry_sealed"):
        anydb.finish_log_entry(playing, status=LogStatus.FAILED, ended_at=T0, played_ms=0)


def test_sealed_rows_refuse_update_and_delete_in_the_database(anydb, tmp_path):
    ensure_station_key(anydb, tmp_path / "k.pem")
    _play(anydb, T0)
    playing = anydb.add_log_entry(scheduled_at=T0, status=LogStatus.PLAYING)
    with anydb.engine.begin() as c:  # the open row may still change
        c.exec_driver_sql(f"UPDATE broadcast_log_entry SET note = 'x' WHERE id = {playing}")
    for sql in ("UPDATE broadcast_log_entry SET status = 'failed' WHERE seq = 1",
                "UPDATE broadcast_log_entry SET note = 'x' WHERE seq = 1",
                "DELETE FROM broadcast_log_entry WHERE seq = 1",
                "DELETE FROM broadcast_log_entry"):
        with pytest.raises(DBAPIError, match="append-only"), anydb.engine.begin() as c:
            c.exec_driver_sql(sql)
    assert len(anydb.log_entries()) == 2
    _assert_chain([e for e in anydb.log_entries() if e.seq])


def test_entries_before_the_key_are_sealed_in_order_when_it_is_set(anydb, tmp_path):
    """A database from before the chain (or a test without a key): completed entries wait
    unsealed, and are sealed in the order they were written once the key is recorded."""
    ids = [_play(anydb, T0 + timedelta(minutes=n)) for n in range(3)]
    assert all(e.seq is None for e in anydb.log_entries())
    ensure_station_key(anydb, tmp_path / "k.pem")
    entries = anydb.log_entries()
    assert [e.id for e in sorted(entries, key=lambda e: e.seq)] == ids
    _assert_chain(sorted(entries, key=lambda e: e.seq))


def test_correction_is_a_new_sealed_entry_that_references_the_old(anydb, tmp_path):
    ensure_station_key(anydb, tmp_path / "k.pem")
    _play(anydb, T0, title="Bản tin A")
    fix = anydb.add_correction(1, LogStatus.PARTIAL, "Loa thôn 3 mất điện", "Nguyễn Văn Ba")
    assert (fix.seq, fix.corrects_seq, fix.status) == (2, 1, LogStatus.PARTIAL)
    assert (fix.bulletin_title, fix.note, fix.triggered_by) == \
        ("Bản tin A", "Loa thôn 3 mất điện", "Nguyễn Văn Ba")
    original = next(e for e in anydb.log_entries() if e.seq == 1)
    assert original.status is LogStatus.PLAYED  # unchanged
    _assert_chain(sorted((e for e in anydb.log_entries()), key=lambda e: e.seq))
    with pytest.raises(LoaxaError, match="log_seq_not_found"):
        anydb.add_correction(99, LogStatus.FAILED, "x")
    with pytest.raises(LoaxaError, match="log_correction_note"):
        anydb.add_correction(1, LogStatus.FAILED, "  ")


def _seal_many(url: str, n: int, tag: str, errors: list) -> None:
    db = Database(url)
    try:
        for k in range(n):
            if k % 2:
                db.add_log_entry(scheduled_at=T0, status=LogStatus.MISSED, reason=f"{tag}{k}")
            else:
                _play(db, T0, title=f"{tag}{k}")
    except Exception as exc:  # reported to the test
        errors.append(exc)
    finally:
        db.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_writers_never_take_the_same_seq(request, tmp_path, kind):
    db = _new_db(request, tmp_path, kind, "race")
    ensure_station_key(db, tmp_path / "k.pem")
    errors: list = []
    threads = [threading.Thread(target=_seal_many, args=(db.url, 25, tag, errors))
               for tag in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    chain = sorted(db.log_entries(), key=lambda e: e.seq)
    assert len(chain) == 50
    _assert_chain(chain)
    db.close()


# -- the station key ----------------------------------------------------------------------
def test_key_is_made_once_private_and_never_replaced_silently(tmp_path):
    db = Database("sqlite:///" + (tmp_path / "k.db").as_posix())
    db.upgrade()
    path = tmp_path / "data" / "station-key.pem"
    key = ensure_station_key(db, path)
    assert ensure_station_key(db, path).public_hex == key.public_hex
    assert db.station_public_key() == key.public_hex
    assert len(key.station_id) == 16 and len(key.fingerprint) == 64 + 15
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert create_key(path).public_hex == key.public_hex  # an existing file wins
    assert not list(path.parent.glob("*.tmp"))

    path.unlink()
    with pytest.raises(LoaxaError, match="station_key_missing"):
        ensure_station_key(db, path)
    assert not path.exists()  # no silent new identity
    path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    with pytest.raises(LoaxaError, match="station_key_corrupt"):
        ensure_station_key(db, path)
    path.unlink()
    other = create_key(path)
    with pytest.raises(LoaxaError, match="station_key_mismatch"):
        ensure_station_key(db, path)
    assert other.public_hex != key.public_hex

    renewed = new_station_key(db, path)  # the documented recovery
    assert db.station_public_key() == renewed.public_hex
    assert ensure_station_key(db, path).public_hex == renewed.public_hex
    assert (path.parent / "station-key.pem.replaced-1").exists()
    db.close()


def test_playout_log_is_still_sealed_when_the_key_file_is_lost(keyed, tmp_path):
    db, key = keyed
    (tmp_path / "station-key.pem").unlink()
    _play(db, T0)
    assert db.log_entries()[0].seq == 1  # sealing needs only the recorded public key
    assert db.log_entries()[0].station_id == key.station_id


# -- packages ---------------------------------------------------------------------------
def test_package_covers_local_days_as_one_contiguous_run(keyed):
    db, key = keyed
    # 30 Nov 23:30 Vietnam = 30 Nov 16:30 UTC; 1 Dec 00:10 Vietnam = 30 Nov 17:10 UTC.
    _play(db, datetime(2026, 11, 30, 16, 30, tzinfo=UTC), "tối 30/11")
    _play(db, datetime(2026, 11, 30, 17, 10, tzinfo=UTC), "sáng 1/12")
    _play(db, datetime(2026, 12, 1, 10, 0, tzinfo=UTC), "chiều 1/12")
    db.add_log_entry(scheduled_at=datetime(2026, 11, 29, tzinfo=UTC), status=LogStatus.MISSED)
    _play(db, datetime(2026, 12, 2, 1, 0, tzinfo=UTC), "2/12")
    data, span = make_package(db, key, date(2026, 12, 1), date(2026, 12, 2))
    package = verify_package(data)
    # seq 2, 3 are on those days, 4 (29 Nov, sealed in between) keeps the run whole, 5.
    assert span == (2, 5)
    assert [e["seq"] for e in package.entries] == [2, 3, 4, 5]
    assert package.header["prev_hash"] == next(e for e in db.log_entries() if e.seq == 1).entry_hash
    assert (package.header["commune_name"], package.header["admin_code"]) == \
        ("Xã Tân Lập", "12345")
    empty, none = make_package(db, key, date(2027, 1, 1), date(2027, 1, 31))
    assert none is None and verify_package(empty).entries == []
    with pytest.raises(LoaxaError, match="bad_range"):
        make_package(db, key, date(2026, 12, 2), date(2026, 12, 1))


def test_package_refuses_a_database_changed_behind_its_back(keyed):
    db, key = keyed
    for n in range(3):
        _play(db, T0 + timedelta(minutes=n))
    with db.engine.begin() as c:
        c.exec_driver_sql("DROP TRIGGER broadcast_log_entry_sealed_no_update")
        c.exec_driver_sql("UPDATE broadcast_log_entry SET played_ms = 1 WHERE seq = 2")
    with pytest.raises(LoaxaError) as info:
        make_package(db, key, date(2026, 12, 1), date(2026, 12, 1))
    assert info.value.code == "log_chain_broken" and info.value.params["seq"] == 2


def _small_package(keyed) -> bytes:
    db, key = keyed
    _play(db, T0, "Lịch tiêm vắc-xin sởi")
    db.add_log_entry(scheduled_at=T0 + timedelta(minutes=5), status=LogStatus.SKIPPED,
                     reason="audio_missing: a.mp3")
    data, _ = make_package(db, key, date(2026, 12, 1), date(2026, 12, 1))
    return data


def test_every_single_flipped_byte_is_detected(keyed):
    data = _small_package(keyed)
    verify_package(data)
    assert len(data) > 1500
    for position in range(len(data)):
        for mask in (0x01, 0x20, 0x80, 0xFF):
            bad = bytearray(data)
            bad[position] ^= mask
            with pytest.raises(LoaxaError) as info:
                verify_package(bytes(bad))
            assert info.value.code.startswith("package_"), (position, mask)


def test_structural_changes_are_detected(keyed):
    data = _small_package(keyed)
    lines = data.split(b"\n")[:-1]
    variants = {
        "truncated": data[:-1],
        "extra line": data + b"{}\n",
        "entry removed": b"\n".join([lines[0], lines[2], lines[3]]) + b"\n",
        "entries swapped": b"\n".join([lines[0], lines[2], lines[1], lines[3]]) + b"\n",
        "CRLF": data.replace(b"\n", b"\r\n"),
        "BOM": b"\xef\xbb\xbf" + data,
        "space": data.replace(b'":', b'": ', 1),
        "empty": b"",
    }
    for name, bad in variants.items():
        with pytest.raises(LoaxaError, match="package_"):
            verify_package(bad)
        assert bad != data, name


def test_verify_names_the_first_bad_entry(keyed):
    db, key = keyed
    for n in range(4):
        _play(db, T0 + timedelta(minutes=n), f"Tin {n}")
    data, _ = make_package(db, key, date(2026, 12, 1), date(2026, 12, 1))
    lines = data.split(b"\n")
    # A changed title in entry seq 3 (line 4), its hash left as it was.
    edited = lines[3].replace(b"Tin 2", b"Tin 9")
    with pytest.raises(LoaxaError) as info:
        verify_package(b"\n".join([*lines[:3], edited, *lines[4:]]))
    assert (info.value.code, info.value.params["seq"]) == ("package_hash_mismatch", 3)
    # The same change with its hash recomputed: the chain breaks at the next entry.
    obj = json.loads(edited)
    obj["entry_hash"] = entry_hash(obj)
    rehashed = json.dumps(obj, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode()
    with pytest.raises(LoaxaError) as info:
        verify_package(b"\n".join([*lines[:3], rehashed, *lines[4:]]))
    assert (info.value.code, info.value.params["seq"]) == ("package_chain_broken", 4)
    # Everything consistent but re-written by someone without the key: the signature.
    with pytest.raises(LoaxaError, match="package_bad_signature"):
        obj5 = json.loads(lines[4])
        obj5["prev_hash"] = obj["entry_hash"]
        obj5["entry_hash"] = entry_hash(obj5)
        line5 = json.dumps(obj5, ensure_ascii=False, sort_keys=True,
                           separators=(",", ":")).encode()
        verify_package(b"\n".join([*lines[:3], rehashed, line5, *lines[5:]]))


# -- centre mode --------------------------------------------------------------------------
def test_centre_import_is_idempotent_ordered_anyhow_and_all_or_nothing(request, tmp_path,
                                                                       keyed):
    commune, key = keyed
    for day in range(1, 4):
        for n in range(3):
            _play(commune, datetime(2026, 12, day, 1 + n, tzinfo=UTC), f"Ngày {day} tin {n}")
    packs = [make_package(commune, key, date(2026, 12, d), date(2026, 12, d))[0]
             for d in (1, 2, 3)]
    for kind in ("sqlite", "postgresql"):
        centre = _new_db(request, tmp_path, kind, "centre")
        with pytest.raises(LoaxaError, match="centre_unregistered"):
            import_package(centre, packs[0])
        register_station(centre, key.public_hex, "Xã Tân Lập", "12345")
        third = import_package(centre, packs[2])  # out of order
        assert (third.added, third.already, third.first_seq) == (3, 0, 7)
        assert centre.centre_stations()[0].contiguous_seq == 0
        assert import_package(centre, packs[0]).added == 3
        assert import_package(centre, packs[1]).added == 3
        again = import_package(centre, packs[1])
        assert (again.added, again.already) == (0, 3)
        station = centre.centre_stations()[0]
        assert (station.entry_count, station.last_seq, station.contiguous_seq) == (9, 9, 9)
        bad = bytearray(packs[1])
        bad[len(bad) // 2] ^= 1
        with pytest.raises(LoaxaError, match="package_"):
            import_package(centre, bytes(bad))
        rows = centre.centre_entries(datetime(2026, 12, 1, tzinfo=UTC),
                                     datetime(2026, 12, 4, tzinfo=UTC))
        assert [r["seq"] for r in rows] == list(range(1, 10))
        assert rows[0]["bulletin_title"] == "Ngày 1 tin 0"
        assert all(entry_hash(r) == r["entry_hash"] for r in rows)
        with pytest.raises(DBAPIError, match="append-only"), centre.engine.begin() as c:
            c.exec_driver_sql("UPDATE centre_log_entry SET note = 'x' WHERE seq = 1")
        centre.close()


def test_centre_refuses_a_diverging_chain_and_stores_nothing(tmp_path, keyed):
    """The same key on a second database (a copied key file): its seq 2… differ."""
    commune, key = keyed
    for n in range(3):
        _play(commune, T0 + timedelta(minutes=n), f"Tin {n}")
    good, _ = make_package(commune, key, date(2026, 12, 1), date(2026, 12, 1))
    clone = Database("sqlite:///" + (tmp_path / "clone.db").as_posix())
    clone.upgrade()
    ensure_station_key(clone, tmp_path / "station-key.pem")
    for n in range(4):
        _play(clone, T0 + timedelta(minutes=n), f"Khác {n}")
    forked, _ = make_package(clone, key, date(2026, 12, 1), date(2026, 12, 1))
    centre = Database("sqlite:///" + (tmp_path / "centre.db").as_posix())
    centre.upgrade()
    register_station(centre, key.public_hex, "Xã Tân Lập")
    assert import_package(centre, good).added == 3
    with pytest.raises(LoaxaError) as info:
        import_package(centre, forked)
    assert info.value.code == "centre_conflict" and info.value.params["seq"] == 1
    assert centre.centre_stations()[0].entry_count == 3  # seq 4 of the fork not stored
    clone.close()
    centre.close()


def test_register_from_a_package_file_and_refuse_junk(tmp_path, keyed):
    commune, key = keyed
    _play(commune, T0)
    data, _ = make_package(commune, key, date(2026, 12, 1), date(2026, 12, 1))
    (tmp_path / "goi.jsonl").write_bytes(data)
    centre = Database("sqlite:///" + (tmp_path / "centre.db").as_posix())
    centre.upgrade()
    station = register_station(centre, str(tmp_path / "goi.jsonl"), "Xã Tân Lập")
    assert station.public_key == key.public_hex
    assert fingerprint(station.public_key) == key.fingerprint
    for junk in ("abc", str(tmp_path / "none.jsonl")):
        with pytest.raises(LoaxaError, match="centre_bad_key"):
            register_station(centre, junk, "X")
    with pytest.raises(LoaxaError, match="centre_name_required"):
        register_station(centre, key.public_hex, " ")
    centre.close()


def test_key_file_survives_reading(tmp_path):
    path = tmp_path / "station-key.pem"
    key = create_key(path)
    assert read_key(path).public_hex == key.public_hex
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


TRICKY = ["".join(map(chr, range(32))), '"\\/', "\x7f", "é ệ Ả", "😀", "\u2028\u2029",
          "\ufeff", "\uffff", "", " ", "null", '","entry_hash":"' + "0" * 64]


def _tricky_package(key) -> bytes:
    from tests.benchmarks.bench_verify import make_entries

    entries = make_entries(len(TRICKY), key.station_id)
    prev = GENESIS_HASH
    for entry, text in zip(entries, TRICKY, strict=True):
        entry.update(bulletin_title=text, note=text[::-1], reason=text, prev_hash=prev)
        entry["entry_hash"] = entry_hash(entry)
        prev = entry["entry_hash"]
    from scheduler.logbook.package import build_package

    return build_package(key=key, commune_name="\x00\n" + TRICKY[1], admin_code="",
                         centre_name="😀", range_from=date(2021, 1, 1),
                         range_to=date(2021, 1, 1), entries=entries,
                         created_at=datetime(2026, 1, 1, tzinfo=UTC))


def test_any_text_round_trips_and_only_the_canonical_spelling_is_accepted(keyed):
    """The fast line check (one pattern) and the canonical form agree: every character
    survives, and each other JSON spelling of the same value is refused."""
    _, key = keyed
    data = _tricky_package(key)
    package = verify_package(data)
    assert [e["bulletin_title"] for e in package.entries] == TRICKY
    respellings = [(b'\\"', b"\\u0022"), (b"\\\\", b"\\u005c"), (b"/", b"\\/"),
                   ("é".encode(), b"\\u00e9"), (b"\\u001b", b"\\u001B"), (b"\\t", b"\\u0009"),
                   ("😀".encode(), b"\\ud83d\\ude00"), (b"\x7f", b"\\u007f"),
                   (b'"played_ms":0', b'"played_ms":-0'), (b'"played_ms":0', b'"played_ms":0.0'),
                   (b'"corrects_seq":null', b'"corrects_seq": null')]
    lines = data.split(b"\n")
    for old, new in respellings:
        for n, line in enumerate(lines[1:-2], start=1):
            if old not in line:
                continue
            changed = line.replace(old, new, 1)
            assert json.loads(changed) == json.loads(line) or old.startswith(b'"played_ms')
            bad = b"\n".join([*lines[:n], changed, *lines[n + 1:]])
            with pytest.raises(LoaxaError) as info:
                verify_package(bad)
            assert info.value.code == "package_bad_entry", (old, new)
            break
        else:
            raise AssertionError(f"{old!r} not in the package")


def test_out_of_range_numbers_and_dates_are_refused(keyed):
    _, key = keyed
    data = _tricky_package(key)
    lines = data.split(b"\n")
    line = lines[1]
    for old, new in [(b'"played_ms":174000', b'"played_ms":1000000000'),
                     (b'"scheduled_at":"2021-01-01T23:00', b'"scheduled_at":"2021-02-29T23:00'),
                     (b'"scheduled_at":"2021-01-01T23:00', b'"scheduled_at":"2021-01-01T24:00'),
                     (b'"scheduled_at":"2021-01-01T23:00', b'"scheduled_at":"0000-01-01T23:00'),
                     (b'"status":"played"', b'"status":"playing"')]:
        assert old in line, old
        with pytest.raises(LoaxaError, match="package_bad_entry"):
            verify_package(b"\n".join([lines[0], line.replace(old, new), *lines[2:]]))
    leap = line.replace(b'"scheduled_at":"2021-01-01T23:00', b'"scheduled_at":"2024-02-29T23:00')
    with pytest.raises(LoaxaError) as info:  # a valid date: only the hash is wrong now
        verify_package(b"\n".join([lines[0], leap, *lines[2:]]))
    assert info.value.code == "package_hash_mismatch"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_from_0002_keeps_old_entries_and_seals_them_once_keyed(request, tmp_path,
                                                                       kind):
    from alembic import command
    from alembic.config import Config

    from scheduler.persistence.db import MIGRATIONS_DIR

    db = _new_db(request, tmp_path, kind, "old")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")  # the triggers and tables go away cleanly
    assert db.schema_revision() == "0002"
    with db.engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO broadcast_log_entry (scheduled_at, status, bulletin_title, reason,"
            " audio_sha256, played_ms, output_device, created_at, updated_at) VALUES"
            " ('2025-06-01 00:00:00', 'played', 'Tin cũ', '', '', 5000, '',"
            " '2025-06-01 00:00:00', '2025-06-01 00:00:00')")
    db.upgrade()
    assert db.schema_revision() == "0006"
    ensure_station_key(db, tmp_path / "k.pem")
    [old] = db.log_entries()
    assert (old.seq, old.bulletin_title) == (1, "Tin cũ")
    _assert_chain([old])
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as c:
        c.exec_driver_sql("DELETE FROM broadcast_log_entry")
    db.close()
