"""What the command line and the window do with the log chain: the station key, packages,
verification and the centre's import. The database is passed in (``Database``)."""

from __future__ import annotations

import logging
import os
import re
import secrets
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from media.errors import LoaxaError
from scheduler.cancel import ShouldStop, every, stop_point
from scheduler.logbook.chain import entry_fields, fingerprint
from scheduler.logbook.keys import StationKey, create_key, read_key, replace_key
from scheduler.logbook.package import Package, build_package, verify_package
from scheduler.logbook.records import CentreStation, ImportResult
from scheduler.timeutil import local_day_range, utc_now

if TYPE_CHECKING:
    from scheduler.persistence import Database

log = logging.getLogger(__name__)

MAX_PACKAGE_BYTES = 1 << 30  # 1 GiB: far beyond years of a commune's log
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}\Z")


def ensure_station_key(db: Database, path: Path) -> StationKey:
    """The station key: read from ``path``, made there on the first run. The key file and
    the public key recorded in the database must agree; a missing or corrupt file while the
    database has a key is an error (never a silent new identity)."""
    recorded = db.station_public_key()
    if path.exists() or recorded:
        key = read_key(path)  # station_key_missing / station_key_corrupt
    else:
        key = create_key(path)
        log.info("station key made: %s", key.fingerprint)
    now_recorded = db.set_station_public_key(key.public_hex)
    if now_recorded != key.public_hex:
        raise LoaxaError("station_key_mismatch", path=str(path),
                         file=key.fingerprint, database=fingerprint(now_recorded))
    return key


def new_station_key(db: Database, path: Path) -> StationKey:
    """The recovery path when the key is lost or broken: a new key and identity. Entries
    sealed from now on carry the new station id; the centre registers the new key."""
    key = replace_key(path)
    db.set_station_public_key(key.public_hex, replace=True)
    log.warning("station key replaced: %s", key.fingerprint)
    return key


def make_package(db: Database, key: StationKey, first: date, last: date,
                 should_stop: ShouldStop | None = None
                 ) -> tuple[bytes, tuple[int, int] | None]:
    """A signed package of the chain run covering the entries scheduled on local days
    ``first`` … ``last`` (docs/log-format.md). Returns the bytes and (first, last seq), or
    None when no entry is scheduled on those days. ``should_stop`` is asked while the
    entries are read, signed and checked (``Cancelled``; nothing is audited then)."""
    start, end = local_day_range(first, last)
    db.require("log_exported")  # the audit trail records every export (people_db.py)
    db.seal_pending()
    span = db.chain_span(start, end)
    check = every(2000, should_stop)
    entries = []
    for n, entry in enumerate(() if span is None else db.iter_chain(*span), start=1):
        check(n)
        entries.append(entry_fields(entry))
    stop_point(should_stop)
    station = db.get_station()
    data = build_package(key=key, commune_name=station.commune_name,
                         admin_code=station.admin_code, centre_name=station.centre_name,
                         range_from=first, range_to=last, entries=entries,
                         created_at=utc_now(), should_stop=should_stop)
    db.record_audit("log_exported", "package", {"from": first.isoformat(),
                                                "to": last.isoformat(), "format": "package",
                                                "seqs": list(span) if span else None})
    return data, span


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LoaxaError("file_unwritable", path=str(path), reason=exc.strerror or str(exc)) \
            from None


def read_package_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise LoaxaError("package_too_big", path=str(path), size=size)
        return path.read_bytes()
    except FileNotFoundError:
        raise LoaxaError("file_not_found", path=str(path)) from None
    except IsADirectoryError:
        raise LoaxaError("file_unreadable", path=str(path), reason="directory") from None
    except OSError as exc:
        raise LoaxaError("file_unreadable", path=str(path), reason=exc.strerror or str(exc)) \
            from None


def verify_file(path: Path, *, parse_entries: bool = True,
                should_stop: ShouldStop | None = None) -> Package:
    return verify_package(read_package_file(path), parse_entries=parse_entries,
                          should_stop=should_stop)


def public_key_from(source: str) -> str:
    """A public key given as 64 hex digits, or taken from a package file's header."""
    text = source.strip().replace(" ", "")
    if _HEX_KEY.match(text):
        return text.lower()
    path = Path(source)
    if not path.exists():
        raise LoaxaError("centre_bad_key", source=source)
    return verify_file(path, parse_entries=False).header["public_key"]


def register_station(db: Database, source: str, name: str, code: str = "") -> CentreStation:
    if not name.strip():
        raise LoaxaError("centre_name_required")
    return db.centre_register(public_key_from(source), name, code)


def import_package(db: Database, data: bytes,
                   should_stop: ShouldStop | None = None) -> ImportResult:
    """Verifies a package and stores its entries at the centre (idempotent; all or
    nothing). Refused: any fault of the package, an unregistered station, a key that is not
    the registered one, entries that differ from what was received before. ``should_stop``
    is asked while the package is verified, and last before anything is stored
    (``Cancelled``: nothing stored)."""
    package = verify_package(data, should_stop=should_stop)
    header = package.header
    station = db.centre_station(header["station_id"])
    if station is None:
        raise LoaxaError("centre_unregistered", station=header["station_id"],
                         commune=header["commune_name"],
                         fingerprint=fingerprint(header["public_key"]))
    if station.public_key != header["public_key"]:
        raise LoaxaError("centre_unregistered", station=header["station_id"],
                         commune=header["commune_name"],
                         fingerprint=fingerprint(header["public_key"]))
    stop_point(should_stop)
    added, already = db.centre_import(header["station_id"], package.entries)
    return ImportResult(header["station_id"], station.commune_name, added, already,
                        header["first_seq"], header["last_seq"])
