"""Signed packages of the broadcast log: writing and strict verification.

The format (docs/log-format.md): UTF-8 JSON lines, each the canonical serialization of one
object — a header, the entries in seq order, and last a signature line holding the Ed25519
signature of every byte before it. Verification refuses anything that is not byte for byte
what the writer would have produced, so every changed byte is detected.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from media.errors import LoaxaError
from scheduler.logbook.chain import (
    ENTRY_FIELDS,
    GENESIS_HASH,
    canonical,
    check_field,
    entry_hash,
    format_time,
    station_id_from_public_key,
)
from scheduler.logbook.keys import StationKey, verify_signature

FORMAT_NAME = "loaxa-log-package"
FORMAT_VERSION = 1
TIME_ZONE = "Asia/Ho_Chi_Minh"

HEADER_FIELDS: dict[str, str] = {
    "format": "str",
    "version": "int",
    "station_id": "id16",
    "public_key": "hex64",
    "commune_name": "str",
    "admin_code": "str",
    "centre_name": "str",
    "time_zone": "str",
    "range_from": "date",
    "range_to": "date",
    "first_seq": "int?",
    "last_seq": "int?",
    "prev_hash": "hex64?",
    "entry_count": "int",
    "created_at": "time",
}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_SIG = re.compile(r"[0-9a-f]{128}\Z")
_ENTRY_KEYS = frozenset(ENTRY_FIELDS)
_HEADER_KEYS = frozenset(HEADER_FIELDS)


@dataclass(frozen=True)
class Package:
    header: dict[str, Any]
    entries: list[dict[str, Any]]
    size: int

    @property
    def station_id(self) -> str:
        return self.header["station_id"]


def build_package(*, key: StationKey, commune_name: str, admin_code: str, centre_name: str,
                  range_from: date, range_to: date, entries: Iterable[Mapping[str, Any]],
                  created_at: datetime) -> bytes:
    """The package bytes for ``entries`` (canonical fields, consecutive seq). The chain is
    checked again on the way: a database changed behind LoaXa's back is not signed."""
    items = [dict(e) for e in entries]
    expected_prev = items[0]["prev_hash"] if items else None
    for n, item in enumerate(items):
        if n and item["seq"] != items[n - 1]["seq"] + 1:
            raise LoaxaError("log_chain_gap", seq=items[n - 1]["seq"] + 1)
        if item["prev_hash"] != expected_prev or entry_hash(item) != item["entry_hash"]:
            raise LoaxaError("log_chain_broken", seq=item["seq"])
        if item["station_id"] != key.station_id:
            raise LoaxaError("log_other_key", seq=item["seq"], station=item["station_id"])
        expected_prev = item["entry_hash"]
    header = {
        "format": FORMAT_NAME, "version": FORMAT_VERSION,
        "station_id": key.station_id, "public_key": key.public_hex,
        "commune_name": commune_name, "admin_code": admin_code, "centre_name": centre_name,
        "time_zone": TIME_ZONE,
        "range_from": range_from.isoformat(), "range_to": range_to.isoformat(),
        "first_seq": items[0]["seq"] if items else None,
        "last_seq": items[-1]["seq"] if items else None,
        "prev_hash": items[0]["prev_hash"] if items else None,
        "entry_count": len(items),
        "created_at": format_time(created_at),
    }
    lines = [canonical(header)]
    lines.extend(canonical(item) for item in items)
    body = b"".join(line + b"\n" for line in lines)
    signature = key.sign(body).hex()
    return body + canonical({"signature": signature}) + b"\n"


def _fail(code: str, **params: Any) -> LoaxaError:
    return LoaxaError(code, **params)


def _parse_line(raw: bytes) -> dict[str, Any] | None:
    """The object on one line, or None when the line is not exactly its canonical form."""
    try:
        obj = json.loads(raw.decode("utf-8"))
        if type(obj) is not dict or canonical(obj) != raw:
            return None
    except (ValueError, RecursionError):
        return None
    return obj


def _check_header(header: dict[str, Any] | None) -> dict[str, Any]:
    if header is None:
        raise _fail("package_bad_header", field="-")
    if set(header) != _HEADER_KEYS:
        raise _fail("package_bad_header", field=", ".join(sorted(set(header) ^ _HEADER_KEYS)))
    for name, kind in HEADER_FIELDS.items():
        value = header[name]
        if kind == "date":
            ok = type(value) is str and bool(_DATE.match(value))
            if ok:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    ok = False
        else:
            ok = check_field(kind, value)
        if not ok:
            raise _fail("package_bad_header", field=name)
    if header["format"] != FORMAT_NAME:
        raise _fail("package_bad_header", field="format")
    if header["version"] != FORMAT_VERSION:
        raise _fail("package_version", version=header["version"])
    if header["time_zone"] != TIME_ZONE:
        raise _fail("package_bad_header", field="time_zone")
    if header["range_from"] > header["range_to"]:
        raise _fail("package_bad_header", field="range_to")
    if station_id_from_public_key(header["public_key"]) != header["station_id"]:
        raise _fail("package_bad_header", field="station_id")
    count, first, last = header["entry_count"], header["first_seq"], header["last_seq"]
    if count == 0:
        if (first, last, header["prev_hash"]) != (None, None, None):
            raise _fail("package_bad_header", field="first_seq")
    else:
        if first is None or first < 1 or last is None or header["prev_hash"] is None:
            raise _fail("package_bad_header", field="first_seq")
        if last != first + count - 1:
            raise _fail("package_bad_header", field="last_seq")
        if first == 1 and header["prev_hash"] != GENESIS_HASH:
            raise _fail("package_bad_header", field="prev_hash")
    return header


def _check_entry(raw: bytes, seq: int, line: int, station_id: str, prev: str
                 ) -> dict[str, Any]:
    entry = _parse_line(raw)
    if entry is None:
        raise _fail("package_bad_entry", seq=seq, line=line, field="-")
    if set(entry) != _ENTRY_KEYS:
        raise _fail("package_bad_entry", seq=seq, line=line,
                    field=", ".join(sorted(set(entry) ^ _ENTRY_KEYS)))
    for name, kind in ENTRY_FIELDS.items():
        if not check_field(kind, entry[name]):
            raise _fail("package_bad_entry", seq=seq, line=line, field=name)
    if entry["seq"] != seq:
        raise _fail("package_bad_entry", seq=seq, line=line, field="seq")
    if entry["station_id"] != station_id:
        raise _fail("package_bad_entry", seq=seq, line=line, field="station_id")
    corrects = entry["corrects_seq"]
    if corrects is not None and not 1 <= corrects < seq:
        raise _fail("package_bad_entry", seq=seq, line=line, field="corrects_seq")
    if entry["prev_hash"] != prev:
        raise _fail("package_chain_broken", seq=seq, line=line)
    # The hash input is the canonical form without the entry_hash member. The line is
    # canonical (checked above), so that is the line with that one member cut out; the
    # quoted key can only occur once (quotes inside strings are escaped).
    member = b',"entry_hash":"' + entry["entry_hash"].encode("ascii") + b'"'
    digest = hashlib.sha256(raw.replace(member, b"", 1)).hexdigest()
    if digest != entry["entry_hash"]:
        raise _fail("package_hash_mismatch", seq=seq, line=line)
    return entry


def verify_package(data: bytes) -> Package:
    """Checks layout, canonical form, every entry, the chain and the signature; raises a
    ``LoaxaError`` naming the first fault (and the seq of the first bad entry)."""
    if not data.endswith(b"\n"):
        raise _fail("package_bad_layout", line=data.count(b"\n") + 1)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail("package_not_utf8", position=exc.start, line=data.count(b"\n", 0,
                                                                            exc.start) + 1) \
            from None
    lines = data[:-1].split(b"\n")
    if len(lines) < 2:
        raise _fail("package_bad_layout", line=len(lines))
    header = _check_header(_parse_line(lines[0]))
    body_lines = lines[1:-1]
    if len(body_lines) != header["entry_count"]:
        raise _fail("package_count_mismatch", expected=header["entry_count"],
                    found=len(body_lines))
    entries: list[dict[str, Any]] = []
    prev = header["prev_hash"]
    station_id = header["station_id"]
    first = header["first_seq"] or 0
    for n, raw in enumerate(body_lines):
        entry = _check_entry(raw, first + n, n + 2, station_id, prev)
        prev = entry["entry_hash"]
        entries.append(entry)
    sig_line = _parse_line(lines[-1])
    if (sig_line is None or set(sig_line) != {"signature"}
            or type(sig_line["signature"]) is not str or not _SIG.match(sig_line["signature"])):
        raise _fail("package_bad_signature_line", line=len(lines))
    signed = data[:len(data) - len(lines[-1]) - 1]
    if not verify_signature(header["public_key"], bytes.fromhex(sig_line["signature"]),
                            signed):
        raise _fail("package_bad_signature")
    return Package(header, entries, len(data))
