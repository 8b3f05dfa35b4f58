from datetime import UTC, date, datetime

import pytest

from media.errors import LoaxaError
from scheduler.timeutil import (
    format_local,
    format_shown,
    local_day_range,
    parse_local_datetime,
)


def test_local_times_are_stored_as_utc() -> None:
    assert parse_local_datetime("2026-12-01 06:00") == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert parse_local_datetime("2026-12-01 06:00:30") == \
        datetime(2026, 11, 30, 23, 0, 30, tzinfo=UTC)
    assert format_local(datetime(2026, 11, 30, 23, 0, tzinfo=UTC)) == "2026-12-01 06:00:00"


def test_the_window_shows_vietnamese_day_month_year_after_the_time() -> None:
    moment = datetime(2026, 11, 30, 23, 5, 9, tzinfo=UTC)
    assert format_shown(moment) == "06:05:09 01/12/2026"
    assert format_shown(moment, seconds=False) == "06:05 01/12/2026"
    assert format_shown(None) == ""


@pytest.mark.parametrize("bad", ["01/12/2026 06:00", "2026-13-01 06:00", "mai", ""])
def test_bad_times_are_refused(bad: str) -> None:
    with pytest.raises(LoaxaError, match="bad_datetime"):
        parse_local_datetime(bad)


def test_day_range_covers_local_days() -> None:
    start, end = local_day_range(date(2026, 12, 31), date(2027, 1, 1))
    assert start == datetime(2026, 12, 30, 17, 0, tzinfo=UTC)
    assert end == datetime(2027, 1, 1, 17, 0, tzinfo=UTC)
    with pytest.raises(LoaxaError, match="bad_range"):
        local_day_range(date(2027, 1, 2), date(2027, 1, 1))
