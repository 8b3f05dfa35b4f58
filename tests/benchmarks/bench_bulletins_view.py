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

    view = BulletinsView(ctx, TaskRunner())
    view.show()
    reloads, checks, keys = [], [], []
    for _ in range(args.repeat):
        view._audio_cache.clear()  # the background check runs fully every time
        t0 = time.perf_counter()
        view.reload()
        reloads.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        while view.audio_pending:
            app.processEvents()
            time.sleep(0.005)
        checks.append(time.perf_counter() - t0)
        for text in ("t", "ti", "tie", "tiem", "tiem c", "tiem chung", ""):
            t0 = time.perf_counter()
            view.search.setText(text)
            keys.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    view.reload()  # audio states remembered: the usual reload after another process wrote
    warm = time.perf_counter() - t0
    keys.sort()
    print(f"reload on the GUI thread (database read, model, filters): median "
          f"{ms(statistics.median(reloads))}, max {ms(max(reloads))}; with the audio states "
          f"remembered {ms(warm)}")
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
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
