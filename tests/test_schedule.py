"""The schedule model and its resolution (scheduler/schedule.py). Everything is pure, so no
clock is needed: instants are built from Vietnam wall-clock times and passed in."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from app.i18n import MESSAGES
from media.errors import LoaxaError
from scheduler import schedule as schedule_module
from scheduler.records import Level
from scheduler.schedule import (
    EVERY_DAY,
    MONDAY_TO_SATURDAY,
    AudioInfo,
    BulletinInfo,
    Campaign,
    ItemKind,
    ItemSpec,
    OccurrenceChange,
    OneOffSession,
    Origin,
    QuietHours,
    Schedule,
    SessionSeries,
    Severity,
    check,
    check_day,
    check_range,
    due_sessions,
    has_errors,
    local_start,
    next_session,
    next_start,
    resolve_day,
    resolve_range,
    sessions_between,
)
from scheduler.timeutil import LOCAL_TZ

JINGLE = 90
TUESDAY = date(2026, 12, 1)  # a Tuesday
SUNDAY = date(2026, 12, 6)


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
       second: int = 0) -> datetime:
    """A Vietnam wall-clock instant as aware UTC."""
    return datetime(year, month, day, hour, minute, second, tzinfo=LOCAL_TZ).astimezone(UTC)


def bulletin(id: int, level: str = "normal", rank: int = 0, duration: float = 60.0,
             rendered: bool = True, present: bool = True, valid_from: date | None = None,
             valid_until: date | None = None) -> BulletinInfo:
    return BulletinInfo(id=id, title=f"Bản tin {id}", level=level, priority_rank=rank,
                        rendered=rendered, duration=duration if rendered else None,
                        audio_present=present, valid_from=valid_from,
                        valid_until=valid_until)


def series(id: int, start: time, weekdays: frozenset[int] = EVERY_DAY,
           items: tuple[ItemSpec, ...] = (), length: int = 1800,
           valid_from: date = date(2026, 1, 1), valid_until: date | None = None,
           enabled: bool = True, station_id: bool = True, title: str = "") -> SessionSeries:
    return SessionSeries(id=id, title=title or f"Buổi {id}", start=start, weekdays=weekdays,
                         valid_from=valid_from, valid_until=valid_until, length=length,
                         items=items, enabled=enabled, station_id=station_id)


BULLETINS = {i: bulletin(i) for i in range(1, 10)}
MORNING = series(1, time(6), EVERY_DAY, (ItemSpec.bulletin(1),), title="Sáng 06:00 hằng ngày")
EVENING = series(2, time(17), MONDAY_TO_SATURDAY, (ItemSpec.bulletin(2),),
                 title="Chiều 17:00 thứ Hai–thứ Bảy")


def make(*series_: SessionSeries, **kwargs: object) -> Schedule:
    kwargs.setdefault("bulletins", BULLETINS)
    return Schedule(series=series_, **kwargs)  # type: ignore[arg-type]


def keys(timeline: object) -> list[str]:
    return [s.key for s in timeline.sessions]  # type: ignore[attr-defined]


def codes(problems: list) -> list[str]:
    return [p.code for p in problems]


# ------------------------------------------------------------------ recurrence


def test_daily_series_one_session_per_day_at_local_time():
    timeline = resolve_range(make(MORNING), date(2026, 12, 1), date(2026, 12, 7))
    assert len(timeline.sessions) == 7
    first = timeline.sessions[0]
    assert first.key == "series:1:2026-12-01"
    assert first.start == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 06:00 in Vietnam
    assert first.day == date(2026, 12, 1) and first.occurrence_day == date(2026, 12, 1)
    assert first.title == "Sáng 06:00 hằng ngày" and first.source == "series"
    assert first.planned_end == first.start + timedelta(minutes=30)


def test_monday_to_saturday_skips_sunday():
    assert SUNDAY.weekday() == 6
    week = resolve_range(make(EVENING), date(2026, 11, 30), SUNDAY)
    assert [s.day for s in week.sessions] == [date(2026, 11, 30) + timedelta(days=i)
                                              for i in range(6)]
    assert resolve_day(make(EVENING), SUNDAY).sessions == ()


def test_single_weekday_series():
    weekly = series(5, time(19, 30), frozenset({2}))  # Wednesdays
    days = [s.day for s in resolve_range(make(weekly), date(2026, 12, 1),
                                         date(2026, 12, 31)).sessions]
    assert days == [date(2026, 12, 2), date(2026, 12, 9), date(2026, 12, 16),
                    date(2026, 12, 23), date(2026, 12, 30)]


def test_validity_range_is_inclusive_at_both_ends():
    bounded = series(1, time(6), valid_from=date(2026, 12, 3), valid_until=date(2026, 12, 5))
    days = [s.day for s in resolve_range(make(bounded), date(2026, 12, 1),
                                         date(2026, 12, 8)).sessions]
    assert days == [date(2026, 12, 3), date(2026, 12, 4), date(2026, 12, 5)]


def test_open_ended_series_runs_years_ahead():
    assert keys(resolve_day(make(MORNING), date(2031, 6, 1))) == ["series:1:2031-06-01"]


def test_disabled_series_has_no_sessions():
    assert resolve_day(make(series(1, time(6), enabled=False)), TUESDAY).sessions == ()


def test_sessions_of_a_day_are_in_start_order():
    timeline = resolve_day(make(EVENING, MORNING, series(3, time(11))), TUESDAY)
    assert keys(timeline) == ["series:1:2026-12-01", "series:3:2026-12-01",
                              "series:2:2026-12-01"]


@pytest.mark.parametrize("kwargs, code", [
    ({"weekdays": frozenset()}, "schedule_bad_weekdays"),
    ({"weekdays": frozenset({7})}, "schedule_bad_weekdays"),
    ({"length": -60}, "schedule_bad_length"),
    ({"length": 24 * 3600 + 1}, "schedule_bad_length"),
    ({"valid_from": date(2026, 12, 2), "valid_until": date(2026, 12, 1)}, "bad_range"),
])
def test_invalid_series_refused_with_a_code(kwargs, code):
    with pytest.raises(LoaxaError) as caught:
        series(1, time(6), **kwargs)
    assert caught.value.code == code


def test_invalid_inputs_refused_with_a_code():
    with pytest.raises(LoaxaError, match="schedule_naive_time"):
        OccurrenceChange(1, TUESDAY, move_to=datetime(2026, 12, 1, 7))
    with pytest.raises(LoaxaError, match="schedule_naive_time"):
        OneOffSession(1, datetime(2026, 12, 1, 7), "x", 60)
    with pytest.raises(LoaxaError, match="schedule_bad_quiet_hours"):
        QuietHours(((time(22), time(22)),))
    with pytest.raises(LoaxaError, match="schedule_bad_cap"):
        Campaign(1, 1, TUESDAY, TUESDAY, max_per_day=0)
    with pytest.raises(LoaxaError, match="bad_range"):
        Campaign(1, 1, TUESDAY, TUESDAY - timedelta(days=1))
    with pytest.raises(LoaxaError, match="schedule_bad_item"):
        ItemSpec(ItemKind.BULLETIN)
    with pytest.raises(LoaxaError, match="schedule_bad_item"):
        ItemSpec.relay("", 600)
    with pytest.raises(LoaxaError, match="schedule_bad_item"):
        ItemSpec.relay("http://vov1", 600, fallback=ItemSpec.relay("http://vov2", 60))
    with pytest.raises(LoaxaError, match="bad_range"):
        resolve_range(make(MORNING), TUESDAY, TUESDAY - timedelta(days=1))


def test_a_one_off_session_starts_on_its_local_day():
    late = OneOffSession(12, vn(2026, 12, 1, 23, 30), "Tối", 600, (ItemSpec.bulletin(1),))
    early = OneOffSession(13, vn(2026, 12, 2, 0, 30), "Khuya", 600, (ItemSpec.bulletin(1),))
    schedule = Schedule(one_offs=(late, early), bulletins=BULLETINS)
    assert keys(resolve_day(schedule, TUESDAY)) == ["oneoff:12"]
    assert keys(resolve_day(schedule, date(2026, 12, 2))) == ["oneoff:13"]
    assert early.start == datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    assert resolve_day(schedule, TUESDAY).sessions[0].source == "oneoff"


# ------------------------------------------------------------------ occurrence changes


def test_cancel_one_occurrence_leaves_the_series_alone():
    schedule = make(MORNING, changes=(OccurrenceChange(1, TUESDAY, cancel=True),))
    timeline = resolve_range(schedule, date(2026, 11, 30), date(2026, 12, 2))
    assert keys(timeline) == ["series:1:2026-11-30", "series:1:2026-12-02"]
    assert timeline.cancelled == ("series:1:2026-12-01",)
    assert schedule.series == (MORNING,)


def test_move_within_the_day_keeps_the_key():
    moved_to = vn(2026, 12, 1, 7, 15)
    schedule = make(MORNING, changes=(OccurrenceChange(1, TUESDAY, move_to=moved_to),))
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert session.key == "series:1:2026-12-01" and session.start == moved_to
    assert session.moved and not session.changed
    # the neighbours keep their time
    (next_day,) = resolve_day(schedule, date(2026, 12, 2)).sessions
    assert to_vn_time(next_day.start) == time(6)


def to_vn_time(moment: datetime) -> time:
    return moment.astimezone(LOCAL_TZ).time()


def test_move_to_the_next_day_belongs_to_the_next_day_with_its_old_key():
    moved_to = vn(2026, 12, 2, 9, 0)
    schedule = make(MORNING, changes=(OccurrenceChange(1, TUESDAY, move_to=moved_to),))
    assert resolve_day(schedule, TUESDAY).sessions == ()
    wednesday = resolve_day(schedule, date(2026, 12, 2))
    assert keys(wednesday) == ["series:1:2026-12-02", "series:1:2026-12-01"]
    moved = wednesday.session("series:1:2026-12-01")
    assert moved is not None and moved.start == moved_to and moved.moved
    assert moved.day == date(2026, 12, 2) and moved.occurrence_day == TUESDAY


def test_move_to_an_earlier_day_outside_the_range_is_found():
    moved_to = vn(2026, 11, 28, 20, 0)
    schedule = make(MORNING, changes=(OccurrenceChange(1, TUESDAY, move_to=moved_to),))
    saturday = resolve_day(schedule, date(2026, 11, 28))
    assert "series:1:2026-12-01" in keys(saturday)
    whole = resolve_range(schedule, date(2026, 11, 28), date(2026, 12, 1))
    assert keys(whole).count("series:1:2026-12-01") == 1


def test_move_to_the_same_time_is_not_a_move():
    schedule = make(MORNING, changes=(OccurrenceChange(1, TUESDAY,
                                                       move_to=vn(2026, 12, 1, 6)),))
    assert not resolve_day(schedule, TUESDAY).sessions[0].moved


def test_extend_and_replace_items_of_one_occurrence():
    change = OccurrenceChange(1, TUESDAY, length=3600, items=(ItemSpec.bulletin(3),
                                                              ItemSpec.bulletin(4)))
    schedule = make(MORNING, changes=(change,))
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert session.length == 3600 and session.changed and not session.moved
    assert [i.bulletin_id for i in session.items] == [3, 4]
    (other,) = resolve_day(schedule, date(2026, 12, 2)).sessions
    assert other.length == 1800 and [i.bulletin_id for i in other.items] == [1]


def test_several_changes_to_one_occurrence_are_merged_in_order():
    changes = (OccurrenceChange(1, TUESDAY, move_to=vn(2026, 12, 1, 7)),
               OccurrenceChange(1, TUESDAY, length=2400),
               OccurrenceChange(1, TUESDAY, move_to=vn(2026, 12, 1, 8)))
    (session,) = resolve_day(make(MORNING, changes=changes), TUESDAY).sessions
    assert session.start == vn(2026, 12, 1, 8) and session.length == 2400


def test_cancel_wins_over_a_move():
    changes = (OccurrenceChange(1, TUESDAY, move_to=vn(2026, 12, 2, 9)),
               OccurrenceChange(1, TUESDAY, cancel=True))
    schedule = make(MORNING, changes=changes)
    assert "series:1:2026-12-01" not in keys(resolve_range(schedule, TUESDAY,
                                                           date(2026, 12, 2)))


def test_change_for_a_day_without_occurrence_is_reported():
    change = OccurrenceChange(2, SUNDAY, length=3600)  # EVENING does not run on Sundays
    schedule = make(EVENING, changes=(change,))
    timeline = resolve_day(schedule, SUNDAY)
    assert timeline.sessions == () and timeline.orphan_changes == (change,)
    problems = check_day(schedule, SUNDAY)
    assert codes(problems) == ["check_change_orphan"]
    assert problems[0].severity is Severity.WARNING and problems[0].key == change.key


def test_change_to_an_unknown_or_disabled_series_is_an_orphan():
    disabled = series(4, time(6), enabled=False)
    changes = (OccurrenceChange(99, TUESDAY, cancel=True),
               OccurrenceChange(4, TUESDAY, move_to=vn(2026, 12, 1, 9)))
    timeline = resolve_day(make(disabled, changes=changes), TUESDAY)
    assert timeline.sessions == () and len(timeline.orphan_changes) == 2


# ------------------------------------------------------------------ midnight and calendar


def test_session_running_past_midnight_belongs_to_its_start_day():
    late = series(1, time(23, 50), length=40 * 60)
    schedule = make(late)
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert session.day == TUESDAY
    assert session.planned_end == vn(2026, 12, 2, 0, 30)
    assert keys(resolve_day(schedule, date(2026, 12, 2))) == ["series:1:2026-12-02"]


def test_overlap_across_midnight_is_found_by_check_day():
    late = series(1, time(23, 50), length=40 * 60, items=(ItemSpec.bulletin(1),))
    early = series(2, time(0, 10), items=(ItemSpec.bulletin(2),))
    problems = check_day(make(late, early), date(2026, 12, 2))
    overlap = [p for p in problems if p.code == "check_session_overlap"]
    assert [p.key for p in overlap] == ["series:2:2026-12-02"]
    assert overlap[0].params["other_key"] == "series:1:2026-12-01"
    # the previous day's own findings are not reported for this day
    assert all(p.key.endswith("2026-12-02") for p in problems)


def test_month_boundary():
    timeline = resolve_range(make(MORNING), date(2026, 11, 30), date(2026, 12, 1))
    assert keys(timeline) == ["series:1:2026-11-30", "series:1:2026-12-01"]
    # 06:00 on 1 December in Vietnam is still 30 November in UTC
    assert timeline.sessions[1].start.date() == date(2026, 11, 30)
    assert timeline.sessions[1].day == date(2026, 12, 1)


def test_year_boundary():
    timeline = resolve_range(make(MORNING, EVENING), date(2026, 12, 31), date(2027, 1, 1))
    assert keys(timeline) == ["series:1:2026-12-31", "series:2:2026-12-31",
                              "series:1:2027-01-01", "series:2:2027-01-01"]
    assert timeline.sessions[2].start == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_move_across_the_year_boundary():
    change = OccurrenceChange(1, date(2026, 12, 31), move_to=vn(2027, 1, 1, 8))
    schedule = make(MORNING, changes=(change,))
    assert keys(resolve_day(schedule, date(2026, 12, 31))) == []
    assert keys(resolve_day(schedule, date(2027, 1, 1))) == ["series:1:2027-01-01",
                                                              "series:1:2026-12-31"]


def test_leap_day():
    tuesdays = series(1, time(6), frozenset({1}))
    leap = resolve_range(make(MORNING), date(2028, 2, 28), date(2028, 3, 1))
    assert [s.day for s in leap.sessions] == [date(2028, 2, 28), date(2028, 2, 29),
                                              date(2028, 3, 1)]
    assert "series:1:2028-02-29" in keys(leap)
    assert keys(resolve_day(make(tuesdays), date(2028, 2, 29))) == ["series:1:2028-02-29"]
    plain = resolve_range(make(MORNING), date(2027, 2, 28), date(2027, 3, 1))
    assert [s.day for s in plain.sessions] == [date(2027, 2, 28), date(2027, 3, 1)]


def test_vietnam_time_is_utc_plus_seven_all_year():
    for month in (1, 4, 7, 10):
        (session,) = resolve_day(make(MORNING), date(2026, month, 15)).sessions
        assert session.start == datetime(2026, month, 14, 23, 0, tzinfo=UTC)


# ------------------------------------------------------------------ air order


def test_air_order_jingle_priorities_by_rank_own_items_then_campaign():
    bulletins = {**BULLETINS,
                 5: bulletin(5, "priority", rank=2, duration=30),
                 6: bulletin(6, "priority", rank=1, duration=40),
                 7: bulletin(7, "priority", rank=2, duration=50)}
    items = (ItemSpec.bulletin(1), ItemSpec.bulletin(5), ItemSpec.bulletin(2),
             ItemSpec.bulletin(6), ItemSpec.bulletin(7))
    schedule = make(series(1, time(6), items=items), bulletins=bulletins,
                    audio={JINGLE: AudioInfo(JINGLE, "Hiệu đài", 8.0)},
                    station_jingle_id=JINGLE,
                    campaigns=(Campaign(1, 3, TUESDAY, TUESDAY),))
    (session,) = resolve_day(schedule, TUESDAY).sessions
    order = [(i.kind.value, i.bulletin_id, i.origin.value) for i in session.items]
    assert order == [("jingle", None, "station_id"),
                     ("bulletin", 6, "session"),  # rank 1
                     ("bulletin", 5, "session"),  # rank 2, listed before 7
                     ("bulletin", 7, "session"),
                     ("bulletin", 1, "session"),
                     ("bulletin", 2, "session"),
                     ("bulletin", 3, "campaign")]
    assert [i.position for i in session.items] == list(range(7))
    assert [i.offset for i in session.items] == [0, 8, 48, 78, 128, 188, 248]
    assert session.expected_length == 308
    assert session.items[6].campaign_id == 1


def test_no_station_id_when_the_session_does_not_want_it_or_none_is_set():
    audio = {JINGLE: AudioInfo(JINGLE, "Hiệu đài", 8.0)}
    without = series(1, time(6), items=(ItemSpec.bulletin(1),), station_id=False)
    (session,) = resolve_day(make(without, audio=audio, station_jingle_id=JINGLE),
                             TUESDAY).sessions
    assert [i.kind for i in session.items] == [ItemKind.BULLETIN]
    (session,) = resolve_day(make(MORNING, audio=audio), TUESDAY).sessions
    assert [i.kind for i in session.items] == [ItemKind.BULLETIN]


def test_audio_jingle_and_relay_items():
    audio = {JINGLE: AudioInfo(JINGLE, "Hiệu đài", 8.0), 7: AudioInfo(7, "Nhạc", 90.0)}
    items = (ItemSpec.relay("http://vov1.example/live", 900, fallback=ItemSpec.bulletin(1)),
             ItemSpec.jingle(), ItemSpec.audio(7))
    schedule = make(series(1, time(6), items=items, station_id=False), audio=audio,
                    station_jingle_id=JINGLE)
    (session,) = resolve_day(schedule, TUESDAY).sessions
    relay, jingle, music = session.items
    assert relay.kind is ItemKind.RELAY and relay.duration == 900 and relay.url
    assert relay.fallback is not None and relay.fallback.bulletin_id == 1
    assert relay.fallback.origin is Origin.FALLBACK and relay.fallback.offset == 0
    assert jingle.audio_id == JINGLE and jingle.offset == 900
    assert music.title == "Nhạc" and music.offset == 908
    assert check(resolve_day(schedule, TUESDAY)) == []


def test_emergency_bulletins_are_never_scheduled():
    bulletins = {**BULLETINS, 8: bulletin(8, "emergency")}
    schedule = make(series(1, time(6), items=(ItemSpec.bulletin(8), ItemSpec.bulletin(1))),
                    bulletins=bulletins, campaigns=(Campaign(1, 8, TUESDAY, TUESDAY),))
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert [i.bulletin_id for i in session.items] == [1]
    assert [(d.bulletin_id, d.reason) for d in session.dropped] == [(8, "emergency"),
                                                                     (8, "emergency")]
    problems = check_day(schedule, TUESDAY)
    assert codes(problems) == ["check_emergency_in_session"] * 2
    assert not has_errors(problems)


def test_bulletins_outside_their_validity_are_dropped_and_reported():
    bulletins = {**BULLETINS,
                 5: bulletin(5, valid_until=TUESDAY),  # last valid day: kept
                 6: bulletin(6, valid_until=TUESDAY - timedelta(days=1)),
                 7: bulletin(7, valid_from=TUESDAY),  # first valid day: kept
                 8: bulletin(8, valid_from=TUESDAY + timedelta(days=1))}
    items = tuple(ItemSpec.bulletin(i) for i in (5, 6, 7, 8))
    schedule = make(series(1, time(6), items=items), bulletins=bulletins)
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert [i.bulletin_id for i in session.items] == [5, 7]
    assert [(d.bulletin_id, d.reason) for d in session.dropped] == [(6, "expired"),
                                                                     (8, "not_yet_valid")]
    problems = check_day(schedule, TUESDAY)
    assert codes(problems) == ["check_bulletin_expired", "check_bulletin_not_yet_valid"]
    assert problems[0].params["valid_until"] == "2026-11-30"
    assert problems[1].params["valid_from"] == "2026-12-02"


def test_validity_uses_the_day_a_moved_occurrence_now_starts():
    bulletins = {**BULLETINS, 5: bulletin(5, valid_until=TUESDAY)}
    change = OccurrenceChange(1, TUESDAY, move_to=vn(2026, 12, 2, 6))
    schedule = make(series(1, time(6), items=(ItemSpec.bulletin(5),)), bulletins=bulletins,
                    changes=(change,))
    moved = resolve_day(schedule, date(2026, 12, 2)).session("series:1:2026-12-01")
    assert moved is not None and moved.items == ()
    assert moved.dropped[0].reason == "expired"


# ------------------------------------------------------------------ campaigns


def three_a_day(**campaign: object) -> Schedule:
    sessions = (series(1, time(6)), series(2, time(11)), series(3, time(17)))
    return make(*sessions, campaigns=(Campaign(**campaign),))  # type: ignore[arg-type]


def campaign_sessions(schedule: Schedule, day: date = TUESDAY) -> list[str]:
    return [s.key.split(":")[1] for s in resolve_day(schedule, day).sessions
            if any(i.origin is Origin.CAMPAIGN for i in s.items)]


def test_campaign_in_every_session_of_its_days():
    schedule = three_a_day(id=1, bulletin_id=5, first_day=TUESDAY,
                           last_day=date(2026, 12, 2))
    assert campaign_sessions(schedule) == ["1", "2", "3"]
    assert campaign_sessions(schedule, date(2026, 12, 2)) == ["1", "2", "3"]
    assert campaign_sessions(schedule, date(2026, 11, 30)) == []
    assert campaign_sessions(schedule, date(2026, 12, 3)) == []


def test_campaign_cap_counts_across_the_days_sessions_in_time_order():
    schedule = three_a_day(id=1, bulletin_id=5, first_day=TUESDAY, last_day=TUESDAY,
                           max_per_day=2)
    assert campaign_sessions(schedule) == ["1", "2"]


def test_campaign_cap_resets_each_day():
    schedule = three_a_day(id=1, bulletin_id=5, first_day=TUESDAY,
                           last_day=date(2026, 12, 2), max_per_day=1)
    timeline = resolve_range(schedule, TUESDAY, date(2026, 12, 2))
    with_campaign = [s.key for s in timeline.sessions
                     if any(i.origin is Origin.CAMPAIGN for i in s.items)]
    assert with_campaign == ["series:1:2026-12-01", "series:1:2026-12-02"]


def test_campaign_window_selects_morning_sessions():
    schedule = three_a_day(id=1, bulletin_id=5, first_day=TUESDAY, last_day=TUESDAY,
                           window=(time(4), time(11, 59)))
    assert campaign_sessions(schedule) == ["1", "2"]


def test_campaign_window_ends_are_inclusive_and_may_cross_midnight():
    edge = three_a_day(id=1, bulletin_id=5, first_day=TUESDAY, last_day=TUESDAY,
                       window=(time(11), time(17)))
    assert campaign_sessions(edge) == ["2", "3"]
    night = three_a_day(id=1, bulletin_id=5, first_day=TUESDAY, last_day=TUESDAY,
                        window=(time(16), time(7)))
    assert campaign_sessions(night) == ["1", "3"]


def test_campaign_limited_to_some_series_skips_one_offs():
    one_off = OneOffSession(12, vn(2026, 12, 1, 9), "Họp", 600, (ItemSpec.bulletin(1),))
    sessions = (series(1, time(6)), series(2, time(11)))
    only_two = make(*sessions, one_offs=(one_off,),
                    campaigns=(Campaign(1, 5, TUESDAY, TUESDAY, series_ids={2}),))
    assert campaign_sessions(only_two) == ["2"]
    every = make(*sessions, one_offs=(one_off,),
                 campaigns=(Campaign(1, 5, TUESDAY, TUESDAY),))
    assert campaign_sessions(every) == ["1", "12", "2"]


def test_campaign_bulletin_already_in_a_session_is_not_added_twice_and_counts():
    sessions = (series(1, time(6), items=(ItemSpec.bulletin(5), ItemSpec.bulletin(1))),
                series(2, time(11)), series(3, time(17)))
    schedule = make(*sessions, campaigns=(Campaign(1, 5, TUESDAY, TUESDAY, max_per_day=2),))
    first, second, third = resolve_day(schedule, TUESDAY).sessions
    assert [i.bulletin_id for i in first.items] == [5, 1]
    assert [i.origin for i in first.items] == [Origin.SESSION, Origin.SESSION]
    assert [i.bulletin_id for i in second.items] == [5]
    assert third.items == ()


def test_two_campaigns_for_one_bulletin_add_it_once():
    schedule = make(series(1, time(6)),
                    campaigns=(Campaign(1, 5, TUESDAY, TUESDAY),
                               Campaign(2, 5, TUESDAY, TUESDAY)))
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert [(i.bulletin_id, i.campaign_id) for i in session.items] == [(5, 1)]


def test_priority_campaign_bulletin_joins_the_priority_block():
    bulletins = {**BULLETINS, 5: bulletin(5, "priority", rank=3),
                 6: bulletin(6, "priority", rank=1)}
    schedule = make(series(1, time(6), items=(ItemSpec.bulletin(5), ItemSpec.bulletin(1))),
                    bulletins=bulletins, campaigns=(Campaign(1, 6, TUESDAY, TUESDAY),))
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert [i.bulletin_id for i in session.items] == [6, 5, 1]
    assert session.items[0].origin is Origin.CAMPAIGN


def test_campaign_bulletin_outside_its_validity_is_dropped():
    bulletins = {**BULLETINS, 5: bulletin(5, valid_until=TUESDAY - timedelta(days=1))}
    schedule = make(series(1, time(6)), bulletins=bulletins,
                    campaigns=(Campaign(1, 5, TUESDAY, TUESDAY),))
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert session.items == ()
    assert session.dropped[0].campaign_id == 1 and session.dropped[0].reason == "expired"


# ------------------------------------------------------------------ quiet hours


NIGHT = QuietHours(((time(22), time(5)),))


@pytest.mark.parametrize("moment, inside", [
    (time(21, 59, 59), False), (time(22), True), (time(23, 30), True), (time(0), True),
    (time(4, 59, 59), True), (time(5), False), (time(12), False)])
def test_quiet_hours_across_midnight(moment, inside):
    assert NIGHT.contains_local(moment) is inside


def test_quiet_hours_within_a_day_and_several_windows():
    quiet = QuietHours(((time(11, 30), time(13, 30)), (time(22), time(5))))
    assert quiet.contains(vn(2026, 12, 1, 12)) and quiet.contains(vn(2026, 12, 1, 1))
    assert not quiet.contains(vn(2026, 12, 1, 13, 30))
    assert not QuietHours().contains(vn(2026, 12, 1, 12))


def test_session_inside_quiet_hours_is_silenced():
    schedule = make(series(1, time(22, 30), items=(ItemSpec.bulletin(1),)),
                    quiet_hours=NIGHT)
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert session.silenced and session.cut_at is None
    assert all(i.blocked for i in session.items)
    problems = check_day(schedule, TUESDAY)
    assert codes(problems) == ["check_quiet_hours_silenced"]
    assert not has_errors(problems)


def test_session_running_into_quiet_hours_stops_there():
    items = tuple(ItemSpec.bulletin(i) for i in (1, 2, 3, 4))  # 60 s each
    schedule = make(series(1, time(21, 58, 30), items=items), quiet_hours=NIGHT)
    (session,) = resolve_day(schedule, TUESDAY).sessions
    # starts 21:58:30, 21:59:30 (on air at 22:00, plays to its end), 22:00:30, 22:01:30
    assert [i.blocked for i in session.items] == [False, False, True, True]
    assert session.cut_at == 2 and not session.silenced
    assert session.expected_length == 120
    problems = check_day(schedule, TUESDAY)
    assert codes(problems) == ["check_quiet_hours_cut"]
    assert problems[0].params["count"] == 2 and problems[0].position == 2


def test_a_session_ending_as_quiet_hours_begin_is_untouched():
    items = (ItemSpec.bulletin(1), ItemSpec.bulletin(2))
    schedule = make(series(1, time(21, 58), items=items), quiet_hours=NIGHT)
    (session,) = resolve_day(schedule, TUESDAY).sessions
    assert not any(i.blocked for i in session.items)


def test_blocked_items_count_for_no_campaign_cap():
    sessions = (series(1, time(4, 30)), series(2, time(6)))
    schedule = make(*sessions, quiet_hours=NIGHT,
                    campaigns=(Campaign(1, 5, TUESDAY, TUESDAY, max_per_day=1),))
    silenced, morning = resolve_day(schedule, TUESDAY).sessions
    assert silenced.silenced and silenced.items == ()
    assert [i.bulletin_id for i in morning.items] == [5]


def test_blocked_own_items_do_not_use_up_the_campaign_cap():
    sessions = (series(1, time(4, 30), items=(ItemSpec.bulletin(5),)), series(2, time(6)))
    schedule = make(*sessions, quiet_hours=NIGHT,
                    campaigns=(Campaign(1, 5, TUESDAY, TUESDAY, max_per_day=1),))
    silenced, morning = resolve_day(schedule, TUESDAY).sessions
    assert [(i.bulletin_id, i.blocked) for i in silenced.items] == [(5, True)]
    assert [(i.bulletin_id, i.origin) for i in morning.items] == [(5, Origin.CAMPAIGN)]


def test_sessions_after_quiet_hours_play():
    schedule = make(series(1, time(5)), quiet_hours=NIGHT)
    assert not resolve_day(schedule, TUESDAY).sessions[0].silenced


# ------------------------------------------------------------------ check


def test_clean_day_has_no_problems():
    assert check_day(make(MORNING, EVENING), TUESDAY) == []


def test_unrendered_missing_and_unknown_items_are_errors():
    bulletins = {**BULLETINS, 5: bulletin(5, rendered=False),
                 6: bulletin(6, present=False)}
    items = (ItemSpec.bulletin(5), ItemSpec.bulletin(6), ItemSpec.bulletin(77),
             ItemSpec.audio(8), ItemSpec.audio(55))
    audio = {8: AudioInfo(8, "Nhạc", 30.0, present=False)}
    schedule = make(series(1, time(6), items=items), bulletins=bulletins, audio=audio)
    problems = check_day(schedule, TUESDAY)
    assert [(p.code, p.position) for p in problems] == [
        ("check_not_rendered", 0), ("check_file_missing", 1), ("check_bulletin_unknown", 2),
        ("check_file_missing", 3), ("check_audio_unknown", 4)]
    assert all(p.severity is Severity.ERROR for p in problems) and has_errors(problems)
    assert problems[0].params["bulletin"] == 5


def test_problems_of_blocked_items_are_not_reported():
    bulletins = {**BULLETINS, 5: bulletin(5, rendered=False)}
    schedule = make(series(1, time(23), items=(ItemSpec.bulletin(5),)), bulletins=bulletins,
                    quiet_hours=NIGHT)
    assert codes(check_day(schedule, TUESDAY)) == ["check_quiet_hours_silenced"]


def test_empty_session_is_an_error_even_with_a_jingle():
    audio = {JINGLE: AudioInfo(JINGLE, "Hiệu đài", 8.0)}
    schedule = make(series(1, time(6)), audio=audio, station_jingle_id=JINGLE)
    problems = check_day(schedule, TUESDAY)
    assert codes(problems) == ["check_session_empty"]
    assert problems[0].severity is Severity.ERROR


def test_session_whose_bulletins_all_expired_is_empty():
    bulletins = {**BULLETINS, 5: bulletin(5, valid_until=date(2026, 1, 1))}
    schedule = make(series(1, time(6), items=(ItemSpec.bulletin(5),)), bulletins=bulletins)
    assert codes(check_day(schedule, TUESDAY)) == ["check_bulletin_expired",
                                                   "check_session_empty"]


def test_items_longer_than_the_planned_length_are_an_overrun_warning():
    bulletins = {**BULLETINS, 5: bulletin(5, duration=1500), 6: bulletin(6, duration=400)}
    schedule = make(series(1, time(6), items=(ItemSpec.bulletin(5), ItemSpec.bulletin(6))),
                    bulletins=bulletins)
    problems = check_day(schedule, TUESDAY)
    assert codes(problems) == ["check_session_overrun"]
    assert problems[0].severity is Severity.WARNING
    assert problems[0].params["expected"] == "31:40"
    assert problems[0].params["planned"] == "30:00"


def test_overrun_into_the_next_session_is_an_error():
    bulletins = {**BULLETINS, 5: bulletin(5, duration=1500), 6: bulletin(6, duration=400)}
    first = series(1, time(6), items=(ItemSpec.bulletin(5), ItemSpec.bulletin(6)))
    second = series(2, time(6, 31), items=(ItemSpec.bulletin(1),))
    problems = check_day(make(first, second, bulletins=bulletins), TUESDAY)
    assert codes(problems) == ["check_session_overrun", "check_runs_into_next"]
    late = problems[1]
    assert late.key == "series:2:2026-12-01" and late.severity is Severity.ERROR
    assert late.params["other_end"] == "2026-12-01 06:31"


def test_overlapping_sessions_are_an_error():
    first = series(1, time(6), items=(ItemSpec.bulletin(1),))
    second = series(2, time(6, 20), items=(ItemSpec.bulletin(2),))
    third = series(3, time(6, 25), items=(ItemSpec.bulletin(3),))  # inside both
    problems = check_day(make(first, second, third), TUESDAY)
    assert [(p.code, p.key) for p in problems] == [
        ("check_session_overlap", "series:2:2026-12-01"),
        ("check_session_overlap", "series:3:2026-12-01")]
    # each is compared with the earlier session that ends last
    assert [p.params["other_key"] for p in problems] == ["series:1:2026-12-01",
                                                         "series:2:2026-12-01"]


def test_back_to_back_sessions_do_not_overlap():
    first = series(1, time(6), items=(ItemSpec.bulletin(1),))
    second = series(2, time(6, 30), items=(ItemSpec.bulletin(2),))
    assert check_day(make(first, second), TUESDAY) == []


def test_silenced_session_overlaps_nothing():
    first = series(1, time(21, 50), items=(ItemSpec.bulletin(1),))
    second = series(2, time(22), items=(ItemSpec.bulletin(2),))
    problems = check_day(make(first, second, quiet_hours=NIGHT), TUESDAY)
    assert codes(problems) == ["check_quiet_hours_silenced"]


def test_relay_fallback_findings_are_warnings():
    bulletins = {**BULLETINS, 5: bulletin(5, rendered=False)}
    items = (ItemSpec.relay("http://vov1.example/live", 600),
             ItemSpec.relay("http://vov1.example/live", 600, fallback=ItemSpec.bulletin(5)))
    schedule = make(series(1, time(6), items=items), bulletins=bulletins)
    problems = check_day(schedule, TUESDAY)
    assert [(p.code, p.severity.value) for p in problems] == [
        ("check_relay_no_fallback", "warning"), ("check_fallback_not_rendered", "warning")]
    assert not has_errors(problems)


def test_check_accepts_several_timelines_without_double_reports():
    schedule = make(series(1, time(6)))
    day = resolve_day(schedule, TUESDAY)
    both = resolve_range(schedule, TUESDAY, date(2026, 12, 2))
    problems = check([day, both])
    assert [p.key for p in problems] == ["series:1:2026-12-01", "series:1:2026-12-02"]


def test_check_range_reports_only_its_days():
    schedule = make(series(1, time(6)))
    problems = check_range(schedule, TUESDAY, date(2026, 12, 3))
    assert [p.key for p in problems] == [f"series:1:2026-12-0{d}" for d in (1, 2, 3)]


def _message_fields(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def test_every_finding_code_has_vietnamese_and_english_words_with_its_params():
    bulletins = {**BULLETINS, 5: bulletin(5, rendered=False), 6: bulletin(6, present=False),
                 7: bulletin(7, "emergency"), 8: bulletin(8, valid_until=date(2026, 1, 1)),
                 9: bulletin(9, valid_from=date(2027, 1, 1)),
                 10: bulletin(10, duration=4000)}
    items = (ItemSpec.bulletin(5), ItemSpec.bulletin(6), ItemSpec.bulletin(7),
             ItemSpec.bulletin(8), ItemSpec.bulletin(9), ItemSpec.bulletin(77),
             ItemSpec.audio(55), ItemSpec.relay("http://x", 60),
             ItemSpec.relay("http://x", 60, fallback=ItemSpec.audio(56)),
             ItemSpec.bulletin(10))
    schedule = make(series(1, time(6), items=items), series(2, time(6, 10)),
                    series(3, time(22, 30)), series(4, time(21, 59, 30), items=items),
                    bulletins=bulletins, quiet_hours=NIGHT,
                    changes=(OccurrenceChange(1, TUESDAY - timedelta(days=400), cancel=True),
                             OccurrenceChange(9, TUESDAY, cancel=True)))
    problems = check_day(schedule, TUESDAY)
    seen = set(codes(problems))
    assert seen >= {"check_not_rendered", "check_file_missing", "check_emergency_in_session",
                    "check_bulletin_expired", "check_bulletin_not_yet_valid",
                    "check_bulletin_unknown", "check_audio_unknown", "check_relay_no_fallback",
                    "check_fallback_audio_unknown", "check_session_overrun",
                    "check_session_overlap", "check_session_empty",
                    "check_quiet_hours_silenced", "check_quiet_hours_cut",
                    "check_change_orphan"}
    for problem in problems:
        vietnamese, english = MESSAGES[problem.code]
        assert _message_fields(vietnamese) == _message_fields(english)
        assert _message_fields(english) <= set(problem.params), problem.code
        assert "{" not in vietnamese.format(**problem.params)
        assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                         vietnamese), problem.code


def test_every_code_in_the_module_has_words():
    source = Path("scheduler/schedule.py").read_text(encoding="utf-8")
    found = set(re.findall(r'"((?:check|schedule)_[a-z_]+[a-z])"', source))
    found.discard("check_fallback")
    found -= set(schedule_module.__all__)  # function names, not codes
    for code in found:
        assert code in MESSAGES, code


# ------------------------------------------------------------------ engine helpers


def test_due_sessions_inside_the_grace_window():
    schedule = make(MORNING, EVENING)
    grace = timedelta(minutes=15)
    assert due_sessions(schedule, vn(2026, 12, 1, 5, 59, 59), grace) == ()
    assert [s.key for s in due_sessions(schedule, vn(2026, 12, 1, 6), grace)] == [
        "series:1:2026-12-01"]
    assert [s.key for s in due_sessions(schedule, vn(2026, 12, 1, 6, 15), grace)] == [
        "series:1:2026-12-01"]
    assert due_sessions(schedule, vn(2026, 12, 1, 6, 15, 1), grace) == ()


def test_due_sessions_across_midnight():
    schedule = make(series(1, time(23, 55)))
    due = due_sessions(schedule, vn(2026, 12, 2, 0, 5), timedelta(minutes=15))
    assert [s.key for s in due] == ["series:1:2026-12-01"]


def test_next_session_is_strictly_after_the_instant():
    schedule = make(MORNING, EVENING)
    assert next_session(schedule, vn(2026, 12, 1, 5)).key == "series:1:2026-12-01"
    assert next_session(schedule, vn(2026, 12, 1, 6)).key == "series:2:2026-12-01"
    assert next_start(schedule, vn(2026, 12, 1, 17)) == vn(2026, 12, 2, 6)


def test_next_session_far_ahead_and_none():
    later = series(1, time(6), valid_from=date(2027, 6, 1))
    assert next_start(make(later), vn(2026, 12, 1)) == vn(2027, 6, 1, 6)
    ended = series(1, time(6), valid_until=date(2026, 11, 1))
    assert next_session(make(ended), vn(2026, 12, 1)) is None
    assert next_session(make(later), vn(2026, 12, 1), horizon_days=30) is None


def test_next_session_follows_a_move_and_skips_a_cancel():
    changes = (OccurrenceChange(1, TUESDAY, move_to=vn(2026, 12, 1, 8)),
               OccurrenceChange(1, date(2026, 12, 2), cancel=True))
    schedule = make(MORNING, changes=changes)
    moved = next_session(schedule, vn(2026, 12, 1, 5))
    assert moved.key == "series:1:2026-12-01" and moved.start == vn(2026, 12, 1, 8)
    assert next_session(schedule, vn(2026, 12, 1, 9)).key == "series:1:2026-12-03"


def test_sessions_between_is_half_open():
    schedule = make(MORNING, EVENING)
    found = sessions_between(schedule, vn(2026, 12, 1, 6), vn(2026, 12, 2, 6))
    assert [s.key for s in found] == ["series:1:2026-12-01", "series:2:2026-12-01"]
    assert sessions_between(schedule, vn(2026, 12, 2), vn(2026, 12, 1)) == ()


def test_helpers_refuse_naive_instants():
    with pytest.raises(LoaxaError, match="schedule_naive_time"):
        due_sessions(make(MORNING), datetime(2026, 12, 1, 6), timedelta(minutes=15))


# ------------------------------------------------------------------ purity


def test_resolution_is_deterministic_and_day_equals_range_slice():
    schedule = make(MORNING, EVENING, campaigns=(Campaign(1, 5, TUESDAY, date(2026, 12, 9),
                                                          max_per_day=1),))
    week = resolve_range(schedule, TUESDAY, date(2026, 12, 7))
    assert week == resolve_range(schedule, TUESDAY, date(2026, 12, 7))
    for day in (TUESDAY, date(2026, 12, 5), date(2026, 12, 7)):
        assert resolve_day(schedule, day).sessions == tuple(
            s for s in week.sessions if s.day == day)


def test_local_start_converts_through_vietnam_time():
    assert local_start(date(2026, 12, 1), time(6)) == datetime(2026, 11, 30, 23, tzinfo=UTC)


def test_the_module_reads_no_clock_and_does_no_io():
    tree = ast.parse(Path("scheduler/schedule.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Attribute):
            assert node.attr not in {"now", "utcnow", "today", "time_ns", "monotonic",
                                     "open", "read_text", "write_text"}, node.attr
        elif isinstance(node, ast.Name):
            assert node.id not in {"open", "utc_now"}, node.id
    assert imported <= {"__future__", "math", "collections.abc", "dataclasses", "datetime", "enum",
                        "typing", "media.errors", "scheduler.records", "scheduler.timeutil"}


def test_levels_accept_plain_strings():
    assert BulletinInfo(1, "x", level="priority").level is Level.PRIORITY
    assert ItemSpec("bulletin", bulletin_id=1).kind is ItemKind.BULLETIN


def test_quiet_hours_next_begin():
    assert NIGHT.next_begin(vn(2026, 12, 1, 12)) == vn(2026, 12, 1, 22)
    assert NIGHT.next_begin(vn(2026, 12, 1, 23)) == vn(2026, 12, 1, 23)  # inside: now
    assert NIGHT.next_begin(vn(2026, 12, 1, 5)) == vn(2026, 12, 1, 22)
    lunch_and_night = QuietHours(((time(22), time(5)), (time(11, 30), time(13))))
    assert lunch_and_night.next_begin(vn(2026, 12, 1, 13)) == vn(2026, 12, 1, 22)
    assert lunch_and_night.next_begin(vn(2026, 12, 1, 6)) == vn(2026, 12, 1, 11, 30)
    after_midnight = QuietHours(((time(0, 30), time(4)),))
    assert after_midnight.next_begin(vn(2026, 12, 31, 23)) == vn(2027, 1, 1, 0, 30)
    assert QuietHours().next_begin(vn(2026, 12, 1, 12)) is None


def test_length_zero_means_as_long_as_the_items():
    items = (ItemSpec.bulletin(1), ItemSpec.bulletin(2))
    schedule = make(series(1, time(6), items=items, length=0),
                    series(2, time(6, 1), items=(ItemSpec.bulletin(3),)))
    first, _ = resolve_day(schedule, TUESDAY).sessions
    assert first.length == 120 and first.length_from_items
    assert first.planned_end == vn(2026, 12, 1, 6, 2)
    problems = check_day(schedule, TUESDAY)
    assert codes(problems) == ["check_session_overlap"]  # no overrun: it has no set length
    one_off = OneOffSession(1, vn(2026, 12, 1, 9), "Họp", 0, (ItemSpec.bulletin(1),))
    (session,) = resolve_day(Schedule(one_offs=(one_off,), bulletins=BULLETINS),
                             TUESDAY).sessions
    assert session.length == 60
    with pytest.raises(LoaxaError, match="schedule_bad_length"):
        series(1, time(6), length=-1)
    with pytest.raises(LoaxaError, match="schedule_bad_length"):
        OccurrenceChange(1, TUESDAY, length=0)


def test_disabled_campaign_adds_nothing():
    schedule = three_a_day(id=1, bulletin_id=5, first_day=TUESDAY, last_day=TUESDAY,
                           enabled=False)
    assert campaign_sessions(schedule) == []


def test_campaign_without_a_matching_session_is_reported_per_day():
    sessions = (series(1, time(6), MONDAY_TO_SATURDAY, (ItemSpec.bulletin(1),)),
                series(2, time(17), items=(ItemSpec.bulletin(2),)))
    schedule = make(*sessions, campaigns=(
        Campaign(1, 5, date(2026, 12, 5), date(2026, 12, 7), window=(time(4), time(11, 59))),
        Campaign(2, 6, date(2026, 12, 6), date(2026, 12, 6), enabled=False)))
    problems = check_range(schedule, date(2026, 12, 4), date(2026, 12, 8))
    assert [(p.code, p.key) for p in problems] == [
        ("check_campaign_no_session", "campaign:1:2026-12-06")]  # no morning on Sunday
    assert problems[0].severity is Severity.WARNING
    assert problems[0].params == {"campaign": 1, "bulletin": 5, "day": "2026-12-06"}


def test_a_silenced_session_does_not_carry_a_campaign():
    schedule = make(series(1, time(23)), quiet_hours=NIGHT,
                    campaigns=(Campaign(1, 5, TUESDAY, TUESDAY),))
    assert codes(check_day(schedule, TUESDAY)) == ["check_session_empty",
                                                   "check_quiet_hours_silenced",
                                                   "check_campaign_no_session"]
