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
    # Not strftime: in the window every strftime call runs through PySide6's import hook
    # (~0.2 ms each, 0.3 s for the log tab's 500 rows).
    t = to_local(moment)
    text = f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"
    return f"{text}:{t.second:02d}" if seconds else text


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
