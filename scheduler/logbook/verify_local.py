"""Checking the station's own log chain in its database, for the window's integrity banner:
every sealed entry's hash recomputed and its link to the one before, no seq missing, and none
lost at the end (the chain head the sealing transactions record). An entry that fails goes
through the centre's full check of a pushed batch (``outbox.check_batch``), which names
the field at fault."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from media.errors import Cancelled, LoaxaError
from scheduler.logbook.chain import FINAL_STATUSES, GENESIS_HASH, entry_hash
from scheduler.logbook.outbox import check_batch
from scheduler.timeutil import utc_now

if TYPE_CHECKING:
    from scheduler.persistence import Database

# Why an entry is bad: its content or hash does not match ("changed"), a seq is absent
# ("missing"), or a field has a wrong value or type ("field").
CHANGED, MISSING, FIELD = "changed", "missing", "field"
_ID16 = re.compile(r"[0-9a-f]{16}\Z")


@dataclass(frozen=True)
class ChainReport:
    checked: int  # sealed entries checked before the first bad one (all of them when ok)
    last_seq: int  # the last good seq (0: none)
    last_hash: str  # its entry hash: where an incremental check goes on from
    checked_at: datetime
    bad_seq: int | None = None  # the first bad entry
    problem: str = ""  # CHANGED, MISSING or FIELD
    field: str = ""  # for FIELD: which one

    @property
    def ok(self) -> bool:
        return self.bad_seq is None


def verify_local_chain(db: Database, *, after: ChainReport | None = None, batch: int = 5000,
                       progress: Callable[[int, int], None] | None = None,
                       should_stop: Callable[[], bool] | None = None) -> ChainReport:
    """Checks the sealed entries in seq order and stops at the first bad one. With ``after``
    (a good earlier report) only the entries sealed since are checked, linking to its last
    entry; the counts carry on from it."""
    from scheduler.persistence.log_query import iter_chain_fields, recorded_chain_head

    if after is not None and not after.ok:
        after = None
    seq, prev = (after.last_seq, after.last_hash) if after else (0, GENESIS_HASH)
    checked = after.checked if after else 0
    head_seq, _ = db.chain_head()
    recorded = recorded_chain_head(db)
    total = max(head_seq, recorded)

    def report(bad: int | None = None, problem: str = "", field: str = "") -> ChainReport:
        return ChainReport(checked, seq, prev, utc_now(), bad, problem, field)

    for n, fields in enumerate(iter_chain_fields(db, seq + 1, head_seq, batch), start=1):
        if fields["seq"] != seq + 1:
            return report(seq + 1, MISSING)
        # The quick test (link and hash); a failing entry goes through the full check of
        # every field, which names what is wrong.
        if fields["prev_hash"] != (GENESIS_HASH if fields["seq"] == 1 else prev) \
                or entry_hash(fields) != fields["entry_hash"] or not _ID16.match(
                    fields["station_id"]) or fields["status"] not in FINAL_STATUSES:
            try:
                check_batch(fields["station_id"], [fields], prev)
            except LoaxaError as exc:
                if exc.code == "push_bad_entry":
                    return report(fields["seq"], FIELD, str(exc.params.get("field", "")))
            return report(fields["seq"], CHANGED)
        seq, prev = fields["seq"], fields["entry_hash"]
        checked += 1
        if n % batch == 0:
            if progress is not None:
                progress(seq, total)
            if should_stop is not None and should_stop():
                raise Cancelled()
    if seq < total:
        return report(seq + 1, MISSING)
    if progress is not None:
        progress(total, total)
    return report()
