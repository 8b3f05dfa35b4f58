"""Cancelling long work while it runs (scheduler/cancel.py): the report writers, the centre's
consolidated report, the signed package, its verification and the centre's import ask the
stop request between their steps and inside their loops. A stop at any of those points ends
the work with ``Cancelled``, leaves no file (nor temporary file) and stores nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from media.errors import Cancelled
from scheduler.cancel import every, stop_point
from scheduler.logbook import package as package_module
from scheduler.logbook.service import (
    import_package,
    make_package,
    verify_file,
    verify_package,
    write_atomic,
)
from scheduler.reports.centre import write_centre_report
from scheduler.reports.report import write_report
from tests.logdata import FONTS, fill_november
from tests.test_centre_report import FIRST, LAST, fill_centre
from tests.test_log_chain import T0, _play, keyed  # noqa: F401 (a fixture)


class StopAt:
    """A stop request that answers True from its ``at``-th question on (never: None)."""

    def __init__(self, at: int | None = None) -> None:
        self.at = at
        self.asked = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.at is not None and self.asked >= self.at


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _stops_everywhere(run, folder: Path, out: Path, least: int) -> int:
    """Runs ``run(should_stop)`` once to count the questions, then stops it at the first,
    the second, one in the middle and the last: each time Cancelled and nothing written."""
    counting = StopAt()
    run(counting)
    asked = counting.asked
    assert asked >= least, asked  # asked inside the work, not only before and after
    out.unlink()
    for at in sorted({1, 2, asked // 2, asked}):
        with pytest.raises(Cancelled):
            run(StopAt(at))
        assert _left(folder) == [], at
    return asked


def test_stop_point_and_every() -> None:
    stop_point(None)
    stop_point(lambda: False)
    with pytest.raises(Cancelled):
        stop_point(lambda: True)
    asked = StopAt(1)
    check = every(3, asked)
    check(1)
    check(2)
    assert asked.asked == 0  # a tight loop asks only every third time
    with pytest.raises(Cancelled):
        check(3)
    every(3, None)(3)  # no request: never stops


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_the_commune_report_stops_while_rendering(db, tmp_path: Path, fmt: str) -> None:
    fill_november(db)
    folder = tmp_path / "báo cáo"
    folder.mkdir()
    out = folder / f"Báo cáo phát thanh 2026-11.{fmt}"

    def run(stop: StopAt) -> None:
        write_report(db, date(2026, 11, 1), date(2026, 11, 30), out, fonts_dir=FONTS,
                     should_stop=stop)

    audited = len(db.audit_events())
    _stops_everywhere(run, folder, out, least=8)
    assert len(db.audit_events()) == audited + 1  # only the run that finished is recorded


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_the_centre_report_stops_while_rendering(db, tmp_path: Path, fmt: str) -> None:
    fill_centre(db)
    folder = tmp_path / "tổng hợp"
    folder.mkdir()
    out = folder / f"Báo cáo tổng hợp 2026-12.{fmt}"

    def run(stop: StopAt) -> None:
        write_centre_report(db, FIRST, LAST, out, fonts_dir=FONTS, should_stop=stop)

    _stops_everywhere(run, folder, out, least=3 if fmt == "csv" else 8)


def test_the_centre_report_data_stops_while_reading(db) -> None:
    """A report of years reads millions of entries: the read itself stops, between batches."""
    from scheduler.persistence.centre_reports_db import centre_communes, centre_report_data

    fill_centre(db)
    communes = centre_communes(db)
    read: list[int] = []
    data = centre_report_data(db, FIRST, LAST, communes, progress=read.append)
    assert read and read[-1] >= data.entries > 0
    with pytest.raises(Cancelled):
        centre_report_data(db, FIRST, LAST, communes, progress=read.append,
                           should_stop=StopAt(1))


def test_package_verify_and_import_stop_midway(keyed, tmp_path: Path,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db, key = keyed
    for n in range(12):
        _play(db, T0 + timedelta(minutes=5 * n), title=f"Tin số {n}")
    monkeypatch.setattr(package_module, "CHECK_EVERY", 2)  # many stops in a short package
    first = last = date(2026, 12, 1)
    counting = StopAt()
    data, span = make_package(db, key, first, last, should_stop=counting)
    assert span == (1, 12) and counting.asked > 12
    for at in (1, counting.asked // 2, counting.asked):
        with pytest.raises(Cancelled):
            make_package(db, key, first, last, should_stop=StopAt(at))

    folder = tmp_path / "gói"
    folder.mkdir()
    path = folder / "Gói nhật ký 2026-12-01.jsonl"
    write_atomic(path, data)
    counting = StopAt()
    assert verify_file(path, should_stop=counting).header["entry_count"] == 12
    assert counting.asked > 6
    for at in (1, counting.asked // 2, counting.asked):
        with pytest.raises(Cancelled):
            verify_file(path, should_stop=StopAt(at))
    # Without a stop request the result is as before.
    assert verify_package(data).entries == verify_file(path).entries

    # The centre: a cancelled import stores nothing; the same package then imports whole.
    from scheduler.persistence import Database

    centre = Database("sqlite:///" + (tmp_path / "centre.db").as_posix())
    centre.upgrade()
    try:
        centre.centre_register(key.public_hex, "Xã Tân Lập", "12345")
        counting = StopAt()
        probe = Database("sqlite:///" + (tmp_path / "probe.db").as_posix())
        probe.upgrade()
        probe.centre_register(key.public_hex, "Xã Tân Lập", "12345")
        import_package(probe, data, should_stop=counting)
        probe.close()
        for at in (1, counting.asked // 2, counting.asked):
            with pytest.raises(Cancelled):
                import_package(centre, data, should_stop=StopAt(at))
            assert centre.centre_stations()[0].entry_count == 0
        result = import_package(centre, data)
        assert result.added == 12
    finally:
        centre.close()


def test_verification_names_the_right_line_across_slices(keyed, tmp_path: Path,  # noqa: F811
                                                         monkeypatch) -> None:
    """Checked in slices, a bad entry is still named by its own seq and line."""
    from media.errors import LoaxaError

    db, key = keyed
    for n in range(7):
        _play(db, T0 + timedelta(minutes=5 * n), title=f"Tin số {n}")
    monkeypatch.setattr(package_module, "CHECK_EVERY", 3)
    data, _ = make_package(db, key, date(2026, 12, 1), date(2026, 12, 1))
    lines = data.split(b"\n")
    lines[6] = lines[6].replace("Tin số 5".encode(), "Tin số 9".encode())  # entry seq 6
    with pytest.raises(LoaxaError) as caught:
        verify_package(b"\n".join(lines))
    assert caught.value.params["seq"] == 6 and caught.value.params.get("line", 7) == 7


def test_a_stopped_push_keeps_what_was_sent_and_the_next_sends_the_rest(
        keyed, tmp_path: Path) -> None:  # noqa: F811
    from scheduler.logbook.outbox import push_new_entries
    from scheduler.persistence import Database

    db, key = keyed
    for n in range(10):
        _play(db, T0 + timedelta(minutes=5 * n), title=f"Tin số {n}")
    centre = Database("sqlite:///" + (tmp_path / "centre.db").as_posix())
    centre.upgrade()
    try:
        centre.centre_register(key.public_hex, "Xã Tân Lập", "12345")
        steps: list[tuple[int, int]] = []
        with pytest.raises(Cancelled):
            push_new_entries(db, centre, batch=3, progress=lambda d, t: steps.append((d, t)),
                             should_stop=StopAt(2))  # stops before the second batch
        assert steps == [(3, 10)]
        assert centre.centre_stations()[0].entry_count == 3
        steps.clear()
        result = push_new_entries(db, centre, batch=3, progress=lambda d, t: steps.append((d, t)),
                                  should_stop=StopAt())
        assert (result.sent, result.last_seq) == (7, 10)
        assert steps == [(3, 7), (6, 7), (7, 7)]
    finally:
        centre.close()
