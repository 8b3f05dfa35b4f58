"""The log queries behind the Log view and the local chain check, on SQLite and PostgreSQL:
filters, keyset pages, categories, corrections, and the chain check on a good, a changed and
a shortened chain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from scheduler.logbook.chain import entry_fields
from scheduler.logbook.service import ensure_station_key
from scheduler.logbook.verify_local import verify_local_chain
from scheduler.persistence.log_query import (
    LogFilter,
    corrections_of,
    count_log_entries,
    entry_by_seq,
    iter_chain_fields,
    log_categories,
    log_page,
    recorded_chain_head,
)
from scheduler.records import LogStatus
from scheduler.timeutil import local_day_range

T0 = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 23:00 on 30 November in Vietnam


@pytest.fixture
def filled(anydb, tmp_path):
    ensure_station_key(anydb, tmp_path / "k.pem")
    titles = ["Đề án 06 về định danh điện tử", "Lịch tiêm chủng", "ĐỀ ÁN phát triển du lịch",
              "Giá 100% không đổi", "Thông báo"]
    for n in range(25):
        at = T0 + timedelta(minutes=30 * n)
        status = (LogStatus.PLAYED, LogStatus.FAILED, LogStatus.MISSED)[n % 3]
        anydb.add_log_entry(scheduled_at=at, status=status, bulletin_title=titles[n % 5],
                            category=("Y tế", "Chuyển đổi số", "")[n % 3],
                            level="emergency" if n == 7 else "normal",
                            reason="no_output" if status is LogStatus.FAILED else "")
    return anydb


def test_filters_count_and_pages(filled) -> None:
    db = filled
    assert count_log_entries(db, LogFilter()) == 25
    first = log_page(db, LogFilter(), limit=10)
    second = log_page(db, LogFilter(), (first[-1].scheduled_at, first[-1].id), 10)
    third = log_page(db, LogFilter(), (second[-1].scheduled_at, second[-1].id), 10)
    everything = first + second + third
    assert len(third) == 5 and len({e.id for e in everything}) == 25
    assert [e.scheduled_at for e in everything] == sorted(
        (e.scheduled_at for e in everything), reverse=True)
    assert count_log_entries(db, LogFilter(statuses=("failed",))) == 8
    assert count_log_entries(db, LogFilter(statuses=("failed", "missed"))) == 16
    assert [e.id for e in log_page(db, LogFilter(levels=("emergency",)))] == [8]
    assert count_log_entries(db, LogFilter(categories=("Y tế",))) == 9
    # Local days: 30 November holds the entries before 17:00 UTC (midnight in Vietnam).
    november = LogFilter(*local_day_range(date(2026, 11, 30), date(2026, 11, 30)))
    assert count_log_entries(db, november) == 2
    # The title search folds case, Vietnamese letters included; % and _ are literal.
    assert count_log_entries(db, LogFilter(title="đề án")) == 10
    assert count_log_entries(db, LogFilter(title="ĐỊNH DANH")) == 5
    assert count_log_entries(db, LogFilter(title="100%")) == 5
    assert count_log_entries(db, LogFilter(title="1_0")) == 0
    assert count_log_entries(db, LogFilter(title="đề án", statuses=("played",))) == 3
    assert log_categories(db) == sorted(["Chuyển đổi số", "Y tế"])


def test_corrections_and_chain_fields(filled) -> None:
    db = filled
    fix = db.add_correction(3, LogStatus.PLAYED, "phát bù", "Cán bộ")
    assert [e.seq for e in corrections_of(db, 3)] == [fix.seq]
    assert entry_by_seq(db, 3).id == 3 and entry_by_seq(db, 999) is None
    assert recorded_chain_head(db) == 26
    assert list(iter_chain_fields(db, 1, 26, batch=7)) == \
        [entry_fields(e) for e in db.iter_chain(1, 26)]


def _tamper(db, sql: str) -> None:
    with db.engine.begin() as c:
        if db.is_sqlite:
            c.exec_driver_sql("DROP TRIGGER broadcast_log_entry_sealed_no_update")
            c.exec_driver_sql("DROP TRIGGER broadcast_log_entry_sealed_no_delete")
        else:
            c.exec_driver_sql("ALTER TABLE broadcast_log_entry DISABLE TRIGGER USER")
        c.exec_driver_sql(sql)


def test_chain_check_good_then_incremental(filled) -> None:
    report = verify_local_chain(filled, batch=4)
    assert report.ok and report.checked == 25 and report.last_seq == 25
    filled.add_log_entry(scheduled_at=T0, status=LogStatus.SKIPPED, reason="quiet_hours")
    later = verify_local_chain(filled, after=report)
    assert later.ok and later.checked == 26 and later.last_seq == 26


@pytest.mark.parametrize(("sql", "seq", "problem"), [
    ("UPDATE broadcast_log_entry SET bulletin_title = 'x' WHERE seq = 12", 12, "changed"),
    ("UPDATE broadcast_log_entry SET status = 'playing' WHERE seq = 5", 5, "field"),
    ("DELETE FROM broadcast_log_entry WHERE seq = 9", 9, "missing"),
    ("DELETE FROM broadcast_log_entry WHERE seq = 25", 25, "missing"),
])
def test_chain_check_names_the_first_bad_entry(filled, sql, seq, problem) -> None:
    _tamper(filled, sql)
    report = verify_local_chain(filled, batch=4)
    assert (report.ok, report.bad_seq, report.problem) == (False, seq, problem)
    assert report.checked == seq - 1
    if problem == "field":
        assert report.field == "status"
