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
from scheduler.cancel import ShouldStop, every, stop_point
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
CHECK_EVERY = 5000  # entries between two looks at a stop request

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
                  created_at: datetime, should_stop: ShouldStop | None = None) -> bytes:
    """The package bytes for ``entries`` (canonical fields, consecutive seq). The chain is
    checked again on the way: a database changed behind LoaXa's back is not signed.
    ``should_stop`` is asked every few thousand entries (``Cancelled``)."""
    check = every(CHECK_EVERY, should_stop)
    items = [dict(e) for e in entries]
    expected_prev = items[0]["prev_hash"] if items else None
    for n, item in enumerate(items):
        check(n + 1)
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
    stop_point(should_stop)
    body = b"".join(line + b"\n" for line in lines)
    signature = key.sign(body).hex()
    data = body + canonical({"signature": signature}) + b"\n"
    # never hand out what a verifier refuses
    verify_package(data, parse_entries=False, should_stop=should_stop)
    return data


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


def _diagnose_entry(raw: bytes, seq: int, line: int, station_id: str, prev: str
                    ) -> dict[str, Any]:
    """The slow, field-by-field check of one entry line: names what is wrong."""
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
    if entry_hash(entry) != entry["entry_hash"]:
        raise _fail("package_hash_mismatch", seq=seq, line=line)
    return entry


# The canonical form of an entry line as one pattern (docs/log-format.md, sections 3, 4 and
# 7): keys in order, and for strings exactly the escapes the canonical form uses. Matching it
# is the same check as "parses to an object whose canonical serialization is this line",
# without building the object (100,000 entries verify in well under the 2 s target).
# Possessive quantifiers: a line that does not match fails at once, without backtracking.
_STR = rb'"(?:[^"\\\x00-\x1f]++|\\["\\bfnrt]|\\u00(?:0[0-7bef]|1[0-9a-f]))*+"'
_INT = rb"(?:0|[1-9][0-9]{0,8})"
# A valid calendar day (leap years included; year 0000 excluded), a valid time of day.
_LEAP = rb"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_DATE_V = (rb"(?!0000)(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
           rb"|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|" + _LEAP + rb"-02-29)")
_TIME_V = rb'"' + _DATE_V + rb'T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}Z"'
_VALUE = {
    "int": _INT,
    "int?": rb"(?:" + _INT + rb"|null)",
    "str": _STR,
    "hex64": rb'"[0-9a-f]{64}"',
    "id16": rb'"[0-9a-f]{16}"',
    "time": _TIME_V,
    "time?": rb"(?:" + _TIME_V + rb"|null)",
    "status": rb'"(?:played|partial|failed|interrupted|missed|skipped)"',
}
# Only what the chain check reads is captured.
_CAPTURED = {
    "seq": rb"(?P<seq>" + _INT + rb")",
    "station_id": rb'"(?P<station_id>[0-9a-f]{16})"',
    "prev_hash": rb'"(?P<prev_hash>[0-9a-f]{64})"',
    "entry_hash": rb'"(?P<entry_hash>[0-9a-f]{64})"',
    "corrects_seq": rb"(?P<corrects_seq>" + _INT + rb"|null)",
}
_ENTRY_RE = re.compile(
    rb"\{" + rb",".join(b'"' + name.encode() + b'":'
                        + _CAPTURED.get(name, _VALUE[ENTRY_FIELDS[name]])
                        for name in sorted(ENTRY_FIELDS)) + rb"\}")
_KEY_GROUPS = ("seq", "station_id", "prev_hash", "entry_hash", "corrects_seq")
_HASH_GROUP = "entry_hash"
_HASH_KEY_LEN = len(b',"entry_hash":"')


def _check_entries(lines: list[bytes], first: int, station_id: bytes, prev: bytes,
                   offset: int = 0) -> bytes:
    """Checks the entry lines in order (the chain from ``prev``); raises at the first bad
    one. A line that is not canonical goes through ``_diagnose_entry`` to name the field.
    ``lines`` start at the package's ``offset``-th entry (``first`` is the package's first
    seq). Returns the last entry's hash (the ``prev`` of the lines that follow)."""
    match = _ENTRY_RE.fullmatch
    sha256 = hashlib.sha256
    cut = _HASH_KEY_LEN
    for seq, raw in enumerate(lines, start=first + offset):
        m = match(raw)
        if m is None:
            _diagnose_entry(raw, seq, seq - first + 2, station_id.decode(), prev.decode())
            raise _fail("package_bad_entry", seq=seq, line=seq - first + 2, field="-")
        got_seq, got_station, got_prev, claimed, corrects = m.group(*_KEY_GROUPS)
        if got_prev != prev or got_station != station_id or int(got_seq) != seq \
                or (corrects != b"null" and not 1 <= int(corrects) < seq):
            _diagnose_entry(raw, seq, seq - first + 2, station_id.decode(), prev.decode())
            raise _fail("package_bad_entry", seq=seq, line=seq - first + 2, field="-")
        # The hash input: the line without its entry_hash member, which is the canonical
        # form of the entry without entry_hash (keys stay in order).
        start, end = m.span(_HASH_GROUP)
        digest = sha256(raw[:start - cut])
        digest.update(raw[end + 1:])
        if digest.hexdigest().encode() != claimed:
            raise _fail("package_hash_mismatch", seq=seq, line=seq - first + 2)
        prev = claimed
    return prev


def verify_package(data: bytes, *, parse_entries: bool = True,
                   should_stop: ShouldStop | None = None) -> Package:
    """Checks layout, canonical form, every entry, the chain and the signature; raises a
    ``LoaxaError`` naming the first fault (and the seq of the first bad entry). The entries
    are returned as dicts unless ``parse_entries`` is False (verification only).
    ``should_stop`` is asked every few thousand entries (``Cancelled``)."""
    if not data.endswith(b"\n"):
        raise _fail("package_bad_layout", line=data.count(b"\n") + 1)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail("package_not_utf8", position=exc.start, line=data.count(b"\n", 0,
                                                                            exc.start) + 1) \
            from None
    lines = data.split(b"\n")
    lines.pop()  # the empty string after the final line feed
    if len(lines) < 2:
        raise _fail("package_bad_layout", line=len(lines))
    header = _check_header(_parse_line(lines[0]))
    body_lines = lines[1:-1]
    if len(body_lines) != header["entry_count"]:
        raise _fail("package_count_mismatch", expected=header["entry_count"],
                    found=len(body_lines))
    station = header["station_id"].encode("ascii")
    prev = (header["prev_hash"] or "").encode("ascii")
    first = header["first_seq"] or 0
    # In slices, so that a stop is seen between them and the inner loop stays as it was.
    for at in range(0, len(body_lines), CHECK_EVERY):
        stop_point(should_stop)
        prev = _check_entries(body_lines[at:at + CHECK_EVERY], first, station, prev, at)
    stop_point(should_stop)
    sig_line = _parse_line(lines[-1])
    if (sig_line is None or set(sig_line) != {"signature"}
            or type(sig_line["signature"]) is not str or not _SIG.match(sig_line["signature"])):
        raise _fail("package_bad_signature_line", line=len(lines))
    signed = memoryview(data)[:len(data) - len(lines[-1]) - 1]  # no copy
    if not verify_signature(header["public_key"], bytes.fromhex(sig_line["signature"]),
                            signed):
        raise _fail("package_bad_signature")
    entries: list[dict[str, Any]] = []
    if parse_entries:
        for at in range(0, len(body_lines), CHECK_EVERY):
            stop_point(should_stop)
            entries.extend(json.loads(raw) for raw in body_lines[at:at + CHECK_EVERY])
    return Package(header, entries, len(data))
