"""The audit trail as a CSV file (UTF-8 with BOM, for Excel), written atomically.

Reading the trail out is itself recorded (``audit_exported``), and needs an approver or an
admin once the station has users.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scheduler.export import atomic_output
from scheduler.timeutil import format_local, local_day_range

if TYPE_CHECKING:
    from scheduler.persistence import Database
    from scheduler.persistence.people_db import AuditEvent


def audit_rows(events: list[AuditEvent]) -> list[list[str]]:
    return [[format_local(e.at), e.at.isoformat(), e.actor, e.action, e.target,
             json.dumps(e.details, ensure_ascii=False, sort_keys=True)] for e in events]


def _write(handle: TextIO, header: list[str], rows: list[list[str]]) -> None:
    writer = csv.writer(handle, dialect="excel")
    writer.writerow(header)
    writer.writerows(rows)


def export_audit(db: Database, first: date, last: date, out_path: Path | None,
                 header: list[str], stream: TextIO | None = None) -> int:
    """Events of local days ``first`` … ``last`` to ``out_path`` (CSV with BOM) or, with
    no path, to ``stream``; returns how many. Refused before anything is written when the
    current actor may not read the trail."""
    start, end = local_day_range(first, last)
    db.require("audit_exported")
    rows = audit_rows(db.audit_events(start, end))
    if out_path is None:
        assert stream is not None
        _write(stream, header, rows)
    else:
        with atomic_output(out_path) as tmp, tmp.open("w", encoding="utf-8-sig",
                                                      newline="") as handle:
            _write(handle, header, rows)
    db.record_audit("audit_exported", "audit",
                    {"from": first.isoformat(), "to": last.isoformat(), "events": len(rows),
                     "path": str(out_path) if out_path is not None else "-"})
    return len(rows)
