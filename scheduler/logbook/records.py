"""Plain records of the log chain and of centre mode."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CentreStation:
    station_id: str
    public_key: str
    commune_name: str
    admin_code: str
    registered_at: datetime
    entry_count: int = 0
    last_seq: int | None = None  # highest seq received
    contiguous_seq: int = 0  # every seq 1 … this one received


@dataclass(frozen=True)
class ImportResult:
    station_id: str
    commune_name: str
    added: int
    already: int
    first_seq: int | None
    last_seq: int | None
