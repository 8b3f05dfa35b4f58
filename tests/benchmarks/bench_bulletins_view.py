"""The Bulletins view with thousands of bulletins: how long the GUI thread is busy on a reload
and on a keystroke in the search box, how long the background audio check takes, and the
spoken-form preview of a short and of the longest allowed text (why it runs off the GUI
thread).

Run:  QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.bench_bulletins_view [--bulletins N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

BODY = ("Thực hiện Kế hoạch số 45/KH-UBND ngày 02/10/2026 của Ủy ban nhân dân huyện, Ủy ban "
        "nhân dân xã thông báo lịch tiêm chủng đợt {n} cho trẻ em dưới 5 tuổi tại trạm y tế xã "
        "từ 7h30 đến 11h00. Gia đình mang theo sổ tiêm chủng và thẻ BHYT. Mọi thắc mắc liên hệ "
        "số điện thoại 0912 345 678.\n\n") * 4
CATEGORIES = ["Tiêm chủng", "An toàn giao thông", "Bầu cử", "Nông nghiệp, nông thôn mới",
              "Phòng chống thiên tai, tìm kiếm cứu nạn"]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bulletins", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.freeze() once the window is up (what the app could do)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["LOAXA_HOME"] = tempfile.mkdtemp(prefix="loaxa-bench-bulletins-")

    from PySide6.QtWidgets import QApplication

    from app.gui.tasks import TaskRunner
    from app.gui.views.bulletins import BulletinsView
    from app.services import open_context
    from media.expansions import spoken_preview
    from media.normalize import Normalizer
    from media.textio import MAX_TEXT_CHARS

    app = QApplication.instance() or QApplication(sys.argv)
    ctx = open_context("cli")
    today = date.today()
    started = time.perf_counter()
    for n in range(args.bulletins):
        bulletin_id = ctx.db.add_bulletin(
            f"Thông báo số {n}", BODY.format(n=n), category=CATEGORIES[n % len(CATEGORIES)],
            document_ref=f"{n}/KH-UBND", issuing_body="UBND xã",
            valid_until=today + timedelta(days=n % 60 - 30))
        # audio made from another text: the background check must read every text's spoken
        # form to find it out of date (the costly case)
        ctx.db.attach_audio(bulletin_id, sha256=f"{n:064x}", rel_path=f"{n}.mp3",
                            duration_ms=60_000, origin="tts", engine="espeak-ng", voice="vi",
                            source_sha256="0" * 64)
    print(f"{args.bulletins} bulletins of {len(BODY)} characters added in "
          f"{time.perf_counter() - started:.1f} s")

    import gc

    pauses: list[float] = []
    gc_started = [0.0]

    def gc_timer(phase: str, info: dict) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        elif info.get("generation") == 2:
            pauses.append(time.perf_counter() - gc_started[0])

    gc.callbacks.append(gc_timer)
    view = BulletinsView(ctx, TaskRunner())
    view.show()
    if args.gc_freeze:
        gc.collect()
        gc.freeze()  # objects alive now are never scanned again by full collections
    # The longest the GUI thread went without running its event loop: a 5 ms timer's gaps.
    from PySide6.QtCore import QTimer

    ticks = [time.perf_counter()]
    gaps: list[float] = []
    timer = QTimer()
    timer.setInterval(5)

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - ticks[-1])
        ticks.append(now)

    timer.timeout.connect(tick)
    timer.start()
    applied: list[float] = []
    show_rows = view._show_rows

    def timed_show(result: object) -> None:
        t0 = time.perf_counter()
        show_rows(result)  # type: ignore[arg-type]
        applied.append(time.perf_counter() - t0)

    view._show_rows = timed_show  # type: ignore[method-assign]

    def run_until(done, limit_s: float = 600) -> float:
        t0 = time.perf_counter()
        while not done() and time.perf_counter() - t0 < limit_s:
            app.processEvents()
            time.sleep(0.001)
        return time.perf_counter() - t0

    shown, checks, stalls, keys = [], [], [], []
    for _ in range(args.repeat):
        view._audio_cache.clear()  # the background check runs fully every time
        view.model.set_rows([], today)  # and every text is folded again
        ticks.append(time.perf_counter())
        gaps.clear()
        view.reload()
        shown.append(run_until(lambda: not view.reloading))
        checks.append(run_until(lambda: not view.audio_pending))
        stalls.append(max(gaps, default=0.0))
        for text in ("t", "ti", "tie", "tiem", "tiem c", "tiem chung", ""):
            t0 = time.perf_counter()
            view.search.setText(text)
            keys.append(time.perf_counter() - t0)
    ticks.append(time.perf_counter())
    gaps.clear()
    view.reload()  # the usual reload after another process wrote: texts and audio known
    warm = run_until(lambda: not view.reloading)
    warm_stall = max(gaps, default=0.0)
    keys.sort()
    if pauses:
        print(f"full garbage collections (they hold the GIL): {len(pauses)}, longest "
              f"{ms(max(pauses))}")
    print(f"reload, rows shown after: median {ms(statistics.median(shown))} (read and prepared "
          f"off the GUI thread); with everything remembered {ms(warm)}")
    print(f"GUI thread busy showing the rows: median {ms(statistics.median(applied))}, max "
          f"{ms(max(applied))}")
    print(f"longest GUI-thread stall during a full reload and audio check: median "
          f"{ms(statistics.median(stalls))}, max {ms(max(stalls))}; during the usual reload "
          f"{ms(warm_stall)}")
    print(f"audio check in the background (spoken form of every text): median "
          f"{statistics.median(checks):.2f} s")
    print(f"search keystroke (filter {args.bulletins} rows): median "
          f"{ms(statistics.median(keys))}, p95 {ms(keys[int(len(keys) * 0.95)])}, "
          f"max {ms(keys[-1])}")

    normalizer = Normalizer()
    for label, size in (("5,000", 5000), ("200,000 (the longest allowed)", MAX_TEXT_CHARS)):
        text = (BODY * (size // len(BODY) + 1))[:size]
        spoken_preview(text, normalizer)
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            spoken_preview(text, normalizer)
            runs.append(time.perf_counter() - t0)
        print(f"spoken-form preview of {label} characters: median "
              f"{ms(statistics.median(runs))}, max {ms(max(runs))}")
    view.shutdown()
    ctx.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
