"""Canonical serialization and hashing of sealed log entries (docs/log-format.md)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64  # prev_hash of the entry with seq 1
MAX_INT = 999_999_999  # integers in a package have at most nine digits
FINAL_STATUSES = frozenset(
    {"played", "partial", "failed", "interrupted", "missed", "skipped"})

# Every field of a sealed entry, with its type (see docs/log-format.md, "Entry fields").
#   int    JSON integer            int?   JSON integer or null
#   str    JSON string             time   UTC "YYYY-MM-DDTHH:MM:SS.ffffffZ"   time? or null
#   hex64  64 lowercase hex digits id16   16 lowercase hex digits    status  a final status
ENTRY_FIELDS: dict[str, str] = {
    "seq": "int",
    "station_id": "id16",
    "prev_hash": "hex64",
    "entry_hash": "hex64",
    "sealed_at": "time",
    "scheduled_at": "time",
    "started_at": "time?",
    "ended_at": "time?",
    "status": "status",
    "reason": "str",
    "played_ms": "int",
    "session_id": "int?",
    "session_item_id": "int?",
    "session_key": "str",
    "item_position": "int?",
    "item_kind": "str",
    "bulletin_id": "int?",
    "bulletin_title": "str",
    "level": "str",
    "category": "str",
    "document_ref": "str",
    "audio_sha256": "str",
    "output_device": "str",
    "triggered_by": "str",
    "note": "str",
    "corrects_seq": "int?",
}
HASHED_FIELDS = tuple(name for name in ENTRY_FIELDS if name != "entry_hash")

_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_ID16 = re.compile(r"[0-9a-f]{16}\Z")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z\Z")


def canonical(obj: Mapping[str, Any]) -> bytes:
    """The one byte form of a JSON object: sorted keys, no spaces, UTF-8, minimal escapes."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def format_time(moment: datetime | None) -> str | None:
    """Aware datetime → ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC (always six decimals)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime in a log entry")
    u = moment.astimezone(UTC)
    return (f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:"
            f"{u.second:02d}.{u.microsecond:06d}Z")


def parse_time(text: str) -> datetime:
    if not _TIME.match(text):
        raise ValueError(f"not a UTC time: {text!r}")
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def station_id_from_public_key(public_key_hex: str) -> str:
    """The station id: the first 16 hex digits of SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16]


def fingerprint(public_key_hex: str) -> str:
    """SHA-256 of the raw public key, upper-case hex in groups of four (what people compare)."""
    digest = hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest().upper()
    return " ".join(digest[i:i + 4] for i in range(0, 64, 4))


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 (lowercase hex) of the canonical form of the entry without ``entry_hash``."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    return hashlib.sha256(canonical(payload)).hexdigest()


def check_field(kind: str, value: Any) -> bool:
    """Whether ``value`` (as parsed from JSON) has the type ``kind`` requires."""
    if kind.endswith("?"):
        if value is None:
            return True
        kind = kind[:-1]
    if kind == "int":
        return type(value) is int and 0 <= value <= MAX_INT
    if type(value) is not str:
        return False
    if kind == "str":
        return True
    if kind == "hex64":
        return bool(_HEX64.match(value))
    if kind == "id16":
        return bool(_ID16.match(value))
    if kind == "status":
        return value in FINAL_STATUSES
    if kind == "time":
        if not _TIME.match(value):
            return False
        try:
            parse_time(value)
        except ValueError:
            return False
        return True
    raise ValueError(kind)


def entry_fields(entry: Any) -> dict[str, Any]:
    """The canonical fields of a log entry (a database row or a ``LogEntry`` record)."""
    out: dict[str, Any] = {}
    for name, kind in ENTRY_FIELDS.items():
        value = getattr(entry, name)
        if kind.startswith("time"):
            value = format_time(value)
        elif kind.startswith("int"):
            value = None if value is None else int(value)
        else:
            value = "" if value is None else str(value)
        out[name] = value
    return out
