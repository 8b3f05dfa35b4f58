"""Times are stored in UTC and shown in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import re
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


def format_shown(moment: datetime | None, seconds: bool = True) -> str:
    """Vietnam time as the window shows it to people: ``HH:MM[:SS] DD/MM/YYYY`` (the command
    line and files keep ``format_local``'s sortable form)."""
    if moment is None:
        return ""
    t = to_local(moment)
    clock = f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}" if seconds else \
        f"{t.hour:02d}:{t.minute:02d}"
    return f"{clock} {t.day:02d}/{t.month:02d}/{t.year:04d}"


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


# -- UTC text → Vietnam-time text, fast (exports of a million entries) -------------------------
_HOUR_KEY = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d")
_HOUR = timedelta(hours=1)


class LocalHours(dict[str, str | None]):
    """Maps the hour of a UTC text, its first 13 characters ``YYYY-MM-DD HH``, to the same
    hour in Vietnam time, so that ``hours[text[:13]] + text[13:19]`` is the Vietnam-time
    ``YYYY-MM-DD HH:MM:SS`` of a UTC ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (fractions cut).

    Each hour is worked out once from the time-zone data, not assumed: Asia/Ho_Chi_Minh has
    been UTC+7 since 13 June 1975, but was UTC+8 in 1959–1975 and at other times before.
    An hour whose offset is not a whole number of hours throughout (local mean time before
    1911), or a key that is not an hour, maps to None: convert those texts with
    :func:`local_text`."""

    def __missing__(self, key: str) -> str | None:
        if not isinstance(key, str) or not _HOUR_KEY.fullmatch(key) or key[11:13] > "23":
            self[key] = None
            return None
        try:
            start = datetime(int(key[:4]), int(key[5:7]), int(key[8:10]), tzinfo=UTC)
            offset = _whole_hours_throughout(start, 24)
            if offset is not None:  # the usual case: the whole UTC day at once
                local = start + offset
                today, tomorrow = f"{local:%Y-%m-%d}", f"{local + _DAY:%Y-%m-%d}"
                for hour in range(24):
                    at = local.hour + hour
                    self[f"{key[:11]}{hour:02d}"] = (f"{today} {at:02d}" if at < 24
                                                     else f"{tomorrow} {at - 24:02d}")
                return self[key]
            at = start + int(key[11:13]) * _HOUR
            offset = _whole_hours_throughout(at, 1)
            value = None if offset is None else f"{at + offset:%Y-%m-%d %H}"
        except (ValueError, OverflowError):
            value = None
        self[key] = value
        return value


_DAY = timedelta(days=1)


def _whole_hours_throughout(start: datetime, hours: int) -> timedelta | None:
    """The offset from UTC of Vietnam time during the ``hours`` UTC hours from ``start`` when
    it is one offset, a whole number of hours, throughout; else None. (The offset has only
    ever changed at the start of a UTC hour; the last microsecond is checked too.)"""
    moments = [start + n * _HOUR for n in range(hours)]
    moments.append(start + hours * _HOUR - timedelta(microseconds=1))
    offsets = {moment.astimezone(LOCAL_TZ).utcoffset() for moment in moments}
    if len(offsets) != 1:
        return None
    offset = offsets.pop()
    return None if offset is None or offset % _HOUR else offset


def local_text(utc_text: object) -> str:
    """Any UTC text the database returns (naive means UTC) as Vietnam-time
    ``YYYY-MM-DD HH:MM:SS``; "" for NULL, "" or a text that is not a date-time."""
    if utc_text is None or utc_text == "":
        return ""
    try:
        moment = datetime.fromisoformat(str(utc_text))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return format_local(moment)
    except (ValueError, OverflowError):
        return ""
