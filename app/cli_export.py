"""``loaxa session export``: one session occurrence of the resolved timeline as a single
loudness-matched audio file (MP3 or WAV), for a USB stick or a village without the network."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import format_duration, tr
from app.session_export import MAX_GAP_S, check_writable, export_session
from media.errors import Cancelled, LoaxaError

if TYPE_CHECKING:
    from app.services import AppContext
    from scheduler.schedule import PlannedSession


def add_parser(session_sub: argparse._SubParsersAction) -> None:
    export = session_sub.add_parser(
        "export", help="one session of a day as a single audio file (MP3/WAV)")
    export.add_argument("--date", required=True, help="the day, YYYY-MM-DD (Vietnam time)")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--at", help="start time HH:MM (when the day has several sessions)")
    which.add_argument("--title", help="session title (when the day has several sessions)")
    which.add_argument("--key", help="occurrence key, as `loaxa timeline` prints it")
    export.add_argument("-o", "--output", type=Path, required=True, help="FILE.mp3 or FILE.wav")
    export.add_argument("--gap", type=float, default=1.0,
                        help="seconds of silence between items (default 1)")


@contextmanager
def _interrupt_flag() -> Iterator[Callable[[], bool]]:
    """Ctrl+C asks the work to stop at its next step (it then removes what it started); a
    second Ctrl+C interrupts at once."""
    asked: list[bool] = []

    def handler(signum: int, frame: object) -> None:
        asked.append(True)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: bool(asked)
    finally:
        signal.signal(signal.SIGINT, previous)


def _pick(sessions: tuple[PlannedSession, ...], args: argparse.Namespace,
          day: str) -> PlannedSession:
    from app.cli_schedule import _clock
    from scheduler.timeutil import format_local, to_local

    found = list(sessions)
    if args.key:
        found = [s for s in found if s.key == args.key.strip()]
    elif args.at:
        at = _clock(args.at).replace(second=0, microsecond=0)
        found = [s for s in found
                 if to_local(s.start).time().replace(second=0, microsecond=0) == at]
    elif args.title:
        wanted = args.title.strip().casefold()
        found = [s for s in found if s.title.strip().casefold() == wanted]
    if not found:
        raise LoaxaError("export_no_session", day=day)
    if len(found) > 1:
        for s in found:
            print(f"{format_local(s.start)}\t{s.key}\t{s.title}", file=sys.stderr)
        raise LoaxaError("export_ambiguous", day=day, n=len(found))
    return found[0]


def run(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler import schedule as sched
    from scheduler.timeutil import format_local, parse_local_date

    day = parse_local_date(args.date)
    out: Path = args.output
    if not 0 <= args.gap <= MAX_GAP_S:
        raise LoaxaError("export_bad_gap", value=args.gap)
    check_writable(out)
    schedule = ctx.db.load_schedule(lambda rel: ctx.store.path_for(rel).is_file())
    session = _pick(sched.resolve_day(schedule, day).sessions, args, day.isoformat())

    def assembling(done: int, total: int) -> None:
        print(tr("export_progress", done=done, total=total), file=sys.stderr, flush=True)

    with _interrupt_flag() as should_stop:
        print(tr("export_session", at=format_local(session.start), title=session.title,
                 occurrence=session.key), file=sys.stderr, flush=True)
        try:
            result = export_session(ctx, session, out, gap_s=args.gap,
                                    should_stop=should_stop, assembling=assembling,
                                    notice=lambda text: print(text, file=sys.stderr))
        except (Cancelled, KeyboardInterrupt):
            print(tr("cancelled"), file=sys.stderr)
            return 130
    print(tr("export_done", path=str(out), duration=format_duration(result.duration_s),
             n=result.items, lufs=f"{result.lufs:.1f}", peak=f"{result.true_peak_dbtp:.1f}"))
    return 0
