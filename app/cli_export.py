"""``loaxa session export``: one session occurrence of the resolved timeline as a single
loudness-matched audio file (MP3 or WAV), for a USB stick or a village without the network."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import format_duration, tr
from media.errors import Cancelled, LoaxaError

if TYPE_CHECKING:
    from app.services import AppContext
    from scheduler.schedule import PlannedItem, PlannedSession


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


def _check_writable(out: Path) -> None:
    """Refuse an output that cannot be written before any work (the encoder writes through a
    temporary file in the same folder and renames it into place)."""
    from media.audio import output_encoding

    output_encoding(out)  # .mp3 or .wav
    probe = out.with_name(f".{out.name}.{uuid.uuid4().hex}.probe")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise LoaxaError("file_unwritable", path=str(out),
                         reason=exc.strerror or str(exc)) from None
    if out.is_dir():
        raise LoaxaError("file_unwritable", path=str(out), reason=tr("export_is_folder"))


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


def _item_path(ctx: AppContext, item: PlannedItem, should_stop: Callable[[], bool]) -> Path:
    from app.cli import _print_notice
    from scheduler.schedule import ItemKind

    if item.kind is ItemKind.BULLETIN:
        if item.bulletin_id is None:
            raise LoaxaError("bulletin_not_found", id="?")
        # Missing or stale audio is made now, as `session add` does.
        rendered = ctx.render_bulletin(item.bulletin_id, should_stop=should_stop)
        _print_notice(rendered.notice)
        return ctx.store.path_for(rendered.asset.rel_path)
    if item.audio_id is None:
        raise LoaxaError("audio_asset_not_found", id="?")
    return ctx.store.path_for(ctx.db.get_audio_asset(item.audio_id).rel_path)


def run(ctx: AppContext, args: argparse.Namespace) -> int:
    from media.program import assemble_program
    from scheduler import schedule as sched
    from scheduler.timeutil import format_local, parse_local_date

    day = parse_local_date(args.date)
    out: Path = args.output
    if not 0 <= args.gap <= 60:
        raise LoaxaError("export_bad_gap", value=args.gap)
    _check_writable(out)
    schedule = ctx.db.load_schedule(lambda rel: ctx.store.path_for(rel).is_file())
    session = _pick(sched.resolve_day(schedule, day).sessions, args, day.isoformat())
    with _interrupt_flag() as should_stop:
        print(tr("export_session", at=format_local(session.start), title=session.title,
                 occurrence=session.key), file=sys.stderr, flush=True)
        try:
            paths: list[Path] = []
            titles: dict[Path, str] = {}
            for item in session.items:
                if should_stop():
                    raise Cancelled()
                if item.kind is sched.ItemKind.RELAY:
                    print(tr("export_relay_left_out", url=item.url), file=sys.stderr)
                    continue
                path = _item_path(ctx, item, should_stop)
                paths.append(path)
                titles.setdefault(path, item.title)
            if not paths:
                raise LoaxaError("export_nothing", title=session.title)

            shown: list[int] = []

            def progress(done: int, total: int) -> None:
                done = min(done, len(paths))  # the last step is the encoder finishing
                if not shown or shown[-1] != done:
                    shown.append(done)
                    print(tr("export_progress", done=done, total=len(paths)),
                          file=sys.stderr, flush=True)

            s = ctx.settings
            try:
                result = assemble_program(
                    paths, out, target_lufs=s.loudness_target_lufs,
                    ceiling_dbtp=s.true_peak_ceiling_dbtp, gap_ms=round(args.gap * 1000),
                    mp3_quality=s.mp3_quality, progress=progress, should_stop=should_stop,
                    cache_dir=ctx.analysis_cache_dir)
            except LoaxaError as exc:
                bad = exc.params.get("path")
                if exc.code in ("audio_corrupt", "audio_missing") and bad is not None:
                    title = titles.get(Path(bad))
                    if title is not None:
                        print(tr("export_bad_item", title=title), file=sys.stderr)
                raise
        except (Cancelled, KeyboardInterrupt):
            _remove_partial(out)
            print(tr("cancelled"), file=sys.stderr)
            return 130
    print(tr("export_done", path=str(out), duration=format_duration(result.duration_s),
             n=len(paths), lufs=f"{result.lufs:.1f}", peak=f"{result.true_peak_dbtp:.1f}"))
    return 0


def _remove_partial(out: Path) -> None:
    """The encoder removes its own temporary file; this catches one left by an interrupt that
    came while it was being set up."""
    for part in out.parent.glob(f".{out.name}.{os.getpid()}.*.part"):
        part.unlink(missing_ok=True)
