"""Views built when first shown, and the interpreter set-up against GUI-thread stalls
(app.gui.latency). Offscreen, with pytest-qt; no timing here (see bench_gui_start and
bench_gui_stall)."""

from __future__ import annotations

import gc
import sys
import weakref
from typing import ClassVar

import pytest
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.autostart import FakeAutostart
from app.gui import latency
from app.gui import main_window as mw
from app.gui.views.bulletins import BulletinsView
from app.gui.views.onair import OnAirView

TEXT = "Thông báo: thôn Đông tổ chức tổng vệ sinh môi trường vào sáng Chủ nhật."


class Counting(QWidget):
    """A view after the contract in app.gui.views that counts builds, reloads, shutdowns."""

    title_key = "tab_bulletins"
    built: ClassVar[list[str]] = []

    def __init__(self, ctx, runner, parent=None) -> None:
        super().__init__(parent)
        self.ctx, self.reloads, self.shutdowns = ctx, 0, 0
        self.label = QLabel("")
        QVBoxLayout(self).addWidget(self.label)
        Counting.built.append(self.title_key)

    def reload(self) -> None:
        self.reloads += 1
        self.label.setText(str(self.ctx.db.count_bulletins()))

    def shutdown(self) -> None:
        self.shutdowns += 1


class Titled(Counting):
    """Names its tab after what it shows (``title_changed``)."""

    title_key = "tab_schedule"
    title_changed = Signal(str)

    def reload(self) -> None:
        super().reload()
        self.title_changed.emit(f"Lịch ({self.label.text()})")


class Watching(Counting):
    title_key = "tab_log"
    reload_when_hidden = True


@pytest.fixture
def counted():
    Counting.built = []
    yield Counting.built


def make_window(qtbot, ctx, views=None) -> mw.MainWindow:
    win = mw.MainWindow(ctx, start_playout=False, views=views, tray=False,
                        autostart=FakeAutostart())
    qtbot.addWidget(win)
    return win


def test_only_the_first_tab_and_watching_views_are_built_at_start(
        qtbot, ctx, messages, counted) -> None:
    win = make_window(qtbot, ctx, [Counting, Titled, Watching])
    win.show()
    first, titled, watching = win.built_views()
    assert titled is None and counted == ["tab_bulletins", "tab_log"]
    assert (first.reloads, watching.reloads) == (1, 1)  # loaded once at start
    # Every tab is there with its title, and the menu names them all.
    assert [win.tabs.tabText(i) for i in range(3)] == ["Bản tin", "Lịch phát",
                                                       "Nhật ký phát thanh"]
    assert [a.shortcut().toString() for a in win.view_actions] == ["Ctrl+1", "Ctrl+2",
                                                                   "Ctrl+3"]
    ctx.db.add_bulletin("Tin", TEXT)
    win.poll()  # a change: the shown and the watching view reload; nothing else is built
    assert (first.reloads, watching.reloads) == (2, 2) and win.built_views()[1] is None
    win.view_actions[1].trigger()  # Ctrl+2: built, loaded once, shown
    titled = win.built_views()[1]
    assert isinstance(titled, Titled) and titled.reloads == 1 and titled.isVisible()
    assert win.tabs.currentWidget() is titled and win.tabs.indexOf(titled) == 1
    assert win.tabs.tabText(1) == "Lịch (1)"  # its title_changed is hooked up
    assert counted == ["tab_bulletins", "tab_log", "tab_schedule"]
    assert messages == []


def test_view_builds_on_demand_and_a_stale_built_view_reloads_when_shown(
        qtbot, ctx, messages, counted) -> None:
    win = make_window(qtbot, ctx, [Counting, Titled])
    win.show()
    titled = win.view("tab_schedule")  # built (and loaded) for a test, still hidden
    assert titled is win.built_views()[1] and titled.reloads == 1
    assert win.view("tab_schedule") is titled and counted.count("tab_schedule") == 1
    assert win.tabs.currentIndex() == 0 and not titled.isVisible()
    ctx.db.add_bulletin("Tin", TEXT)
    win.poll()  # hidden and built: stale, not reloaded now
    assert titled.reloads == 1 and titled.label.text() == "0"
    win.tabs.setCurrentWidget(titled)  # the view stands for its tab page
    assert win.tabs.currentIndex() == 1
    assert titled.reloads == 2 and titled.label.text() == "1"
    with pytest.raises(KeyError):
        win.view("tab_settings")


def test_views_property_builds_every_view_and_quit_shuts_down_only_built_ones(
        qtbot, ctx, messages, counted) -> None:
    win = make_window(qtbot, ctx, [Counting, Titled, Watching])
    first = win.built_views()[0]
    win.quit()
    assert first.shutdowns == 1 and counted == ["tab_bulletins", "tab_log"]
    other = make_window(qtbot, ctx, [Counting, Titled])
    views = other.views  # every view, built and loaded now
    assert [type(v) for v in views] == [Counting, Titled]
    assert all(v.reloads == 1 for v in views) and other.built_views() == views


def test_building_a_view_tells_the_window_grew(qtbot, ctx, messages, counted) -> None:
    win = make_window(qtbot, ctx, [Counting, Titled])
    with qtbot.waitSignal(win.grew, timeout=5000):
        win.tabs.setCurrentIndex(1)


def test_the_real_window_builds_the_on_air_view_only(qtbot, ctx, messages) -> None:
    win = make_window(qtbot, ctx)
    win.show()
    built = win.built_views()
    assert isinstance(built[0], OnAirView) and built[1:] == [None] * (len(mw.VIEWS) - 1)
    win.tabs.setCurrentIndex(1)
    assert isinstance(win.built_views()[1], BulletinsView)
    assert win.tabs.currentWidget() is win.built_views()[1]
    win.quit()


# -- app.gui.latency ---------------------------------------------------------------------
class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> weakref.ref:
    """An unreachable reference cycle (only the collector frees it); a weak reference to it."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def fresh_freezes(monkeypatch):
    monkeypatch.setattr(latency, "_freezes", 0)
    yield
    gc.unfreeze()  # the test process's objects back to the collector


def test_freezing_keeps_no_garbage_and_later_garbage_is_collected(fresh_freezes) -> None:
    made_before = cycle()
    alive = Node()
    alive.other = alive
    frozen_before = gc.get_freeze_count()
    assert latency.freeze_long_lived()
    assert made_before() is None  # garbage made just before was collected, not frozen
    assert gc.get_freeze_count() > frozen_before
    assert not any(o is alive for o in gc.get_objects())  # frozen: out of sight
    made_after = cycle()
    assert made_after() is not None
    gc.collect()
    assert made_after() is None  # collected as usual


def test_freezing_stops_after_the_limit(fresh_freezes) -> None:
    results = [latency.freeze_long_lived() for _ in range(latency.MAX_FREEZES + 2)]
    assert results == [True] * latency.MAX_FREEZES + [False, False]
    count = gc.get_freeze_count()
    keep = [Node() for _ in range(10)]
    assert not latency.freeze_long_lived() and gc.get_freeze_count() == count
    assert any(o is keep[0] for o in gc.get_objects())  # tracked as usual


def test_tune_interpreter_sets_a_short_switch_interval() -> None:
    before = sys.getswitchinterval()
    try:
        latency.tune_interpreter()
        assert sys.getswitchinterval() == pytest.approx(latency.SWITCH_INTERVAL_S)
    finally:
        sys.setswitchinterval(before)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread niceness is Linux's")
def test_worker_threads_yield_the_processor_to_the_gui_thread(qtbot) -> None:
    import os
    import threading

    from app.gui.latency import BACKGROUND_NICE
    from app.gui.tasks import Task, TaskRunner

    runner = TaskRunner()
    seen: list[tuple[int, int]] = []

    def work(_progress, _stop) -> None:
        me = threading.get_native_id()
        seen.append((os.getpriority(os.PRIO_PROCESS, me), me))

    for round_ in (1, 2):  # the pool's thread is lowered once and stays so
        runner.start(Task(work))
        qtbot.waitUntil(lambda n=round_: len(seen) == n and not runner.busy(), timeout=10_000)
    base = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())  # the GUI thread
    assert [nice for nice, _ in seen] == [min(base + BACKGROUND_NICE, 19)] * 2
    assert all(ident != threading.get_native_id() for _, ident in seen)
