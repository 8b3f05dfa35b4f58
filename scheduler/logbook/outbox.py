"""The outbox: a commune with a network pushes its sealed log entries straight into the
centre's database (docs/log-format.md, "Pushing to the centre's database").

The local log is the outbox: nothing is ever deleted or marked locally. Each push asks the
centre how far it has this station's chain and sends what follows, in seq order, in batches.
Each batch is verified (types, seq, station id, every entry hash recomputed, the links to
each other and to the centre's stored entries) and stored in one transaction of the centre's
database, or refused whole. Entries the centre already holds are not stored again, so a
push interrupted at any point is simply run again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from media.errors import LoaxaError
from scheduler.cancel import ShouldStop, stop_point
from scheduler.logbook.chain import (
    ENTRY_FIELDS,
    GENESIS_HASH,
    check_field,
    entry_fields,
    entry_hash,
    fingerprint,
    station_id_from_public_key,
)

if TYPE_CHECKING:
    from scheduler.persistence import Database

log = logging.getLogger(__name__)

DEFAULT_BATCH = 500
MAX_BATCH = 5000


@dataclass(frozen=True)
class PushResult:
    station_id: str
    commune_name: str  # as registered at the centre
    sent: int  # entries stored at the centre by this push
    already_there: int  # entries looked at that the centre held already
    last_seq: int | None  # the centre's highest seq of this station after the push


def _centre_call(centre: Database, call: Any, *args: Any) -> Any:
    """A call on the centre's database; a lost connection becomes ``centre_unreachable``."""
    try:
        return call(*args)
    except LoaxaError as exc:
        if exc.code == "db_unavailable":
            raise LoaxaError("centre_unreachable", url=centre.safe_url,
                             reason=str(exc.params.get("reason", "")).strip()) from None
        raise


def check_batch(station_id: str, entries: Sequence[dict[str, Any]],
                prev_hash: str | None = None) -> None:
    """Verifies a run of canonical entry dicts on its own: every field and its type, the
    station id, consecutive seqs, a correction pointing backwards, each entry hash
    recomputed, each ``prev_hash`` the previous entry's hash (the first one's ``prev_hash``
    when given, and the genesis value for seq 1). Raises ``push_bad_entry`` or
    ``push_chain_broken`` naming the first bad seq."""
    expected_prev = prev_hash
    for n, entry in enumerate(entries):
        seq = entry.get("seq") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or set(entry) != set(ENTRY_FIELDS):
            raise LoaxaError("push_bad_entry", seq=seq if seq is not None else "?",
                             field="*")
        for name, kind in ENTRY_FIELDS.items():
            if not check_field(kind, entry[name]):
                raise LoaxaError("push_bad_entry", seq=seq, field=name)
        if entry["station_id"] != station_id:
            raise LoaxaError("push_bad_entry", seq=seq, field="station_id")
        if seq < 1 or (n and seq != entries[n - 1]["seq"] + 1):
            raise LoaxaError("push_bad_entry", seq=seq, field="seq")
        corrects = entry["corrects_seq"]
        if corrects is not None and not 1 <= corrects < seq:
            raise LoaxaError("push_bad_entry", seq=seq, field="corrects_seq")
        if seq == 1:
            expected_prev = GENESIS_HASH
        if expected_prev is not None and entry["prev_hash"] != expected_prev:
            raise LoaxaError("push_chain_broken", seq=seq)
        if entry_hash(entry) != entry["entry_hash"]:
            raise LoaxaError("push_chain_broken", seq=seq)
        expected_prev = entry["entry_hash"]


def receive_batch(centre: Database, public_key: str, entries: Sequence[dict[str, Any]],
                  prev_hash: str | None = None) -> tuple[int, int]:
    """What the centre accepts from a pushing commune: a verified run of entries of a
    station registered with ``public_key``, linking to the entries stored before it, stored
    in one transaction (entries already there are compared, not stored again). Anything
    wrong refuses the whole batch and stores nothing. ``prev_hash``: what the first entry
    must link to when the sender knows it. Returns (stored, already there)."""
    station_id = station_id_from_public_key(public_key)
    if _centre_call(centre, centre.centre_push_state, station_id)[0] != public_key:
        raise LoaxaError("centre_unregistered", station=station_id, commune="-",
                         fingerprint=fingerprint(public_key))
    if not entries:
        return 0, 0
    if len(entries) > MAX_BATCH:
        raise ValueError(f"a batch holds at most {MAX_BATCH} entries")
    check_batch(station_id, entries, prev_hash)
    # centre_import: one transaction; the stored entry before the first must be the one
    # this batch's first prev_hash names, and stored entries with the same seq identical.
    return _centre_call(centre, centre.centre_import, station_id, list(entries))


def _batches(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def push_new_entries(local: Database, centre: Database, public_key: str | None = None,
                     batch: int = DEFAULT_BATCH, *,
                     progress: Callable[[int, int], None] | None = None,
                     should_stop: ShouldStop | None = None) -> PushResult:
    """Sends the sealed entries of this station the centre does not have yet. Idempotent;
    an interrupted push is resumed by the next one (the centre's stored entries say where).

    ``public_key``: the station's identity (default: the one recorded in ``local``). Only
    entries sealed under it are sent; entries sealed under an earlier key go by package.
    ``progress`` gets (entries gone through, entries to go through); ``should_stop`` is
    asked before each batch (``Cancelled``: the batches stored stay, the rest goes next
    time)."""
    if not 1 <= batch <= MAX_BATCH:
        raise ValueError(f"batch must be 1 … {MAX_BATCH}")
    public_key = public_key or local.station_public_key()
    if not public_key:
        raise LoaxaError("station_key_unset")
    station_id = station_id_from_public_key(public_key)
    centre.centre_ready()
    registered, commune, count, last_seq = _centre_call(centre, centre.centre_push_state,
                                                        station_id)
    if registered != public_key:
        raise LoaxaError("centre_unregistered", station=station_id,
                         commune=local.get_station().commune_name or "-",
                         fingerprint=fingerprint(public_key))
    local.seal_pending()
    first_local = local.chain_first_seq(station_id)
    head_seq, _ = local.chain_head()
    if first_local is None:
        return PushResult(station_id, commune, 0, 0, last_seq)
    # Resume after the centre's last entry when it holds this station's chain without a
    # hole from the first entry sealed under this key; otherwise (entries imported out of
    # order from packages) go through from the start, storing only what is missing.
    start = first_local
    if last_seq is not None and count == last_seq - first_local + 1:
        start = last_seq + 1
    sent = already = 0
    prev: str | None = None
    if start - 1 > head_seq:
        raise LoaxaError("centre_ahead", centre_seq=start - 1, local_seq=head_seq)
    if start > first_local:  # the local link to what the centre has: checked as we read
        prev = next(iter(local.iter_chain(start - 1, start - 1))).entry_hash
    entries = (entry_fields(e) for e in local.iter_chain(start, head_seq, batch=batch))
    todo = head_seq - start + 1
    for chunk in _batches(entries, batch):
        stop_point(should_stop)
        # Checked before anything is stored, linking to the previous batch read here too.
        added, known = receive_batch(centre, public_key, chunk, prev)
        sent += added
        already += known
        if progress is not None:
            progress(chunk[-1]["seq"] - start + 1, todo)
        prev = chunk[-1]["entry_hash"]
        log.info("pushed seq %s–%s to the centre: %s stored, %s already there",
                 chunk[0]["seq"], chunk[-1]["seq"], added, known)
    last_seq = _centre_call(centre, centre.centre_push_state, station_id)[3]
    return PushResult(station_id, commune, sent, already, last_seq)
