"""docs/log-format.md is enough to write a verifier: this one follows the page alone, with
json, hashlib and cryptography, and shares no code with scheduler/logbook. It must agree with
LoaXa's own verifier on real packages, on every flipped byte, and on a package written from
the page by hand."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

GENESIS = "0" * 64
STATUSES = {"played", "partial", "failed", "interrupted", "missed", "skipped"}
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
HEX64 = re.compile(r"[0-9a-f]{64}")
ID16 = re.compile(r"[0-9a-f]{16}")

HEADER = {  # section 6
    "format": "str", "version": "int", "station_id": "id16", "public_key": "hex64",
    "commune_name": "str", "admin_code": "str", "centre_name": "str", "time_zone": "str",
    "range_from": "date", "range_to": "date", "first_seq": "int?", "last_seq": "int?",
    "prev_hash": "hex64?", "entry_count": "int", "created_at": "time",
}
ENTRY = {  # section 7
    "seq": "int", "station_id": "id16", "prev_hash": "hex64", "entry_hash": "hex64",
    "sealed_at": "time", "scheduled_at": "time", "started_at": "time?", "ended_at": "time?",
    "status": "status", "reason": "str", "played_ms": "int", "session_id": "int?",
    "session_item_id": "int?", "session_key": "str", "item_position": "int?",
    "item_kind": "str", "bulletin_id": "int?", "bulletin_title": "str", "level": "str",
    "category": "str", "document_ref": "str", "audio_sha256": "str",
    "output_device": "str", "triggered_by": "str", "note": "str", "corrects_seq": "int?",
}


class Invalid(Exception):
    pass


def canon(obj: dict) -> bytes:  # section 3
    return json.dumps(obj, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def typed(kind: str, value) -> bool:  # section 4
    if kind.endswith("?"):
        if value is None:
            return True
        kind = kind[:-1]
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) \
            and 0 <= value <= 999_999_999
    if not isinstance(value, str):
        return False
    if kind == "str":
        return True
    if kind == "status":
        return value in STATUSES
    pattern = {"hex64": HEX64, "id16": ID16, "time": TIME, "date": DATE}[kind]
    if not pattern.fullmatch(value):
        return False
    try:
        if kind == "time":
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")
        elif kind == "date":
            date.fromisoformat(value)
    except ValueError:
        return False
    return True


def read_line(raw: bytes, what: str) -> dict:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except ValueError:
        raise Invalid(f"{what}: not JSON") from None
    if not isinstance(obj, dict):
        raise Invalid(f"{what}: not an object")
    try:
        if canon(obj) != raw:
            raise Invalid(f"{what}: not canonical")
    except ValueError:
        raise Invalid(f"{what}: not canonical") from None
    return obj


def members(obj: dict, spec: dict, what: str) -> None:
    if set(obj) != set(spec):
        raise Invalid(f"{what}: members")
    for key, kind in spec.items():
        if not typed(kind, obj[key]):
            raise Invalid(f"{what}: {key}")


def spec_verify(data: bytes) -> dict:
    """Section 9, step by step. Returns the header; raises Invalid naming the fault."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("not UTF-8") from None
    if not data.endswith(b"\n"):
        raise Invalid("no final line feed")
    lines = data[:-1].split(b"\n")
    if len(lines) < 2:
        raise Invalid("too few lines")
    header = read_line(lines[0], "header")
    members(header, HEADER, "header")
    if header["format"] != "loaxa-log-package" or header["version"] != 1 \
            or header["time_zone"] != "Asia/Ho_Chi_Minh":
        raise Invalid("header: format")
    if header["range_from"] > header["range_to"]:
        raise Invalid("header: range")
    raw_key = bytes.fromhex(header["public_key"])
    if hashlib.sha256(raw_key).hexdigest()[:16] != header["station_id"]:
        raise Invalid("header: station_id")
    n = header["entry_count"]
    if n == 0:
        if [header["first_seq"], header["last_seq"], header["prev_hash"]] != [None] * 3:
            raise Invalid("header: empty")
    elif (header["first_seq"] is None or header["first_seq"] < 1
          or header["last_seq"] != header["first_seq"] + n - 1 or header["prev_hash"] is None
          or (header["first_seq"] == 1 and header["prev_hash"] != GENESIS)):
        raise Invalid("header: seq")
    if len(lines) - 2 != n:
        raise Invalid("entry count")
    expected_prev = header["prev_hash"]
    for k, raw in enumerate(lines[1:-1]):
        seq = header["first_seq"] + k
        entry = read_line(raw, f"seq {seq}")
        members(entry, ENTRY, f"seq {seq}")
        if entry["seq"] != seq or entry["station_id"] != header["station_id"]:
            raise Invalid(f"seq {seq}: identity")
        if entry["corrects_seq"] is not None and not 1 <= entry["corrects_seq"] < seq:
            raise Invalid(f"seq {seq}: corrects_seq")
        if entry["prev_hash"] != expected_prev:
            raise Invalid(f"seq {seq}: chain")
        without = {key: value for key, value in entry.items() if key != "entry_hash"}
        if hashlib.sha256(canon(without)).hexdigest() != entry["entry_hash"]:
            raise Invalid(f"seq {seq}: hash")
        expected_prev = entry["entry_hash"]
    signature = read_line(lines[-1], "signature")
    if set(signature) != {"signature"} or not isinstance(signature["signature"], str) \
            or not re.fullmatch(r"[0-9a-f]{128}", signature["signature"]):
        raise Invalid("signature line")
    signed = data[:len(data) - len(lines[-1]) - 1]
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(
            bytes.fromhex(signature["signature"]), signed)
    except InvalidSignature:
        raise Invalid("signature") from None
    return header


# -- packages made by LoaXa ---------------------------------------------------------------
@pytest.fixture
def loaxa_package(tmp_path) -> bytes:
    from scheduler.logbook.service import ensure_station_key, make_package
    from scheduler.persistence import Database
    from scheduler.records import LogStatus

    db = Database("sqlite:///" + (tmp_path / "c.db").as_posix())
    db.upgrade()
    db.set_station(commune_name="Xã Nậm Pồ", admin_code="03187", centre_name="Trung tâm")
    key = ensure_station_key(db, tmp_path / "station-key.pem")
    t0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    entry = db.add_log_entry(scheduled_at=t0, status=LogStatus.PLAYING,
                             bulletin_title='Tiêm "sởi"\\ \x01 tab\t ệ \u2028 /\x7f',
                             started_at=t0, level="emergency", triggered_by="Chủ tịch xã")
    db.finish_log_entry(entry, status=LogStatus.PLAYED, ended_at=t0 + timedelta(seconds=61),
                        played_ms=61_000)
    db.add_log_entry(scheduled_at=t0 + timedelta(hours=1), status=LogStatus.MISSED,
                     reason="process_stopped")
    db.add_correction(1, LogStatus.PARTIAL, "thôn 4 mất điện", "Lan")
    data, _ = make_package(db, key, date(2026, 12, 1), date(2026, 12, 1))
    db.close()
    return data


def test_spec_verifier_accepts_what_loaxa_writes(loaxa_package) -> None:
    header = spec_verify(loaxa_package)
    assert (header["entry_count"], header["first_seq"], header["commune_name"]) == \
        (3, 1, "Xã Nậm Pồ")
    assert b"\\u0001" in loaxa_package and "ệ".encode() in loaxa_package


def test_spec_verifier_and_loaxa_agree_on_every_flipped_byte(loaxa_package) -> None:
    from media.errors import LoaxaError
    from scheduler.logbook.package import verify_package

    for position in range(len(loaxa_package)):
        bad = bytearray(loaxa_package)
        bad[position] ^= 0x01
        with pytest.raises(Invalid):
            spec_verify(bytes(bad))
        with pytest.raises(LoaxaError):
            verify_package(bytes(bad))


# -- a package written from the page by hand, checked by LoaXa ------------------------------
def test_loaxa_accepts_a_package_written_from_the_spec_and_finds_the_bad_entry() -> None:
    from media.errors import LoaxaError
    from scheduler.logbook.package import verify_package

    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    station = hashlib.sha256(raw).hexdigest()[:16]
    entries, prev = [], GENESIS
    for seq in (1, 2, 3):
        entry = {key: ("" if kind == "str" else None) for key, kind in ENTRY.items()}
        entry.update(seq=seq, station_id=station, prev_hash=prev, played_ms=1000 * seq,
                     sealed_at="2026-12-01T01:00:00.000000Z",
                     scheduled_at="2026-12-01T00:00:00.000000Z", status="played",
                     bulletin_title=f"Bản tin {seq}", item_kind="bulletin")
        entry.pop("entry_hash")
        entry["entry_hash"] = hashlib.sha256(canon(entry)).hexdigest()
        prev = entry["entry_hash"]
        entries.append(entry)
    header = {"format": "loaxa-log-package", "version": 1, "station_id": station,
              "public_key": raw.hex(), "commune_name": "Xã Mới", "admin_code": "",
              "centre_name": "", "time_zone": "Asia/Ho_Chi_Minh", "range_from": "2026-12-01",
              "range_to": "2026-12-01", "first_seq": 1, "last_seq": 3, "prev_hash": GENESIS,
              "entry_count": 3, "created_at": "2026-12-02T00:00:00.000000Z"}

    def write(items: list[dict]) -> bytes:
        body = b"".join(canon(obj) + b"\n" for obj in [header, *items])
        return body + canon({"signature": private.sign(body).hex()}) + b"\n"

    good = write(entries)
    spec_verify(good)
    assert [e["seq"] for e in verify_package(good).entries] == [1, 2, 3]
    # Entry 2 changed and re-signed by the key holder, its hash not updated: seq 2 is named.
    changed = [entries[0], {**entries[1], "played_ms": 5}, entries[2]]
    with pytest.raises(LoaxaError) as info:
        verify_package(write(changed))
    assert info.value.params["seq"] == 2
    with pytest.raises(Invalid, match="seq 2"):
        spec_verify(write(changed))
