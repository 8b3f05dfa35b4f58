"""Times are stored in UTC and shown in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from media.errors import LoaxaError

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # tzdata ships it on Windows


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(LOCAL_TZ)


def format_local(moment: datetime | None, seconds: bool = True) -> str:
    if moment is None:
        return ""
    return to_local(moment).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def parse_local_datetime(text: str) -> datetime:
    """``YYYY-MM-DD HH:MM[:SS]`` in Vietnam time → aware UTC."""
    text = text.strip().replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            naive = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return naive.replace(tzinfo=LOCAL_TZ).astimezone(UTC)
    raise LoaxaError("bad_datetime", value=text)


def parse_local_date(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise LoaxaError("bad_date", value=text) from None


def local_day_range(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC bounds [start, end) covering local days ``first`` … ``last`` inclusive."""
    if last < first:
        raise LoaxaError("bad_range", start=first.isoformat(), end=last.isoformat())
    start = datetime.combine(first, time(0), LOCAL_TZ).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), LOCAL_TZ).astimezone(UTC)
    return start, end
