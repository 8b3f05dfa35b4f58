"""Command-line parts for the schedule: recurring sessions, one-occurrence changes, campaigns,
quiet hours, operator audio, emergencies, the resolved timeline and the day-ahead check."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from datetime import date, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import format_duration, tr
from media.errors import LoaxaError

if TYPE_CHECKING:
    from app.services import AppContext
    from media.render import RenderOptions
    from scheduler.schedule import ItemSpec

DAY_SETS = {"daily": "0123456", "hằng-ngày": "0123456", "mon-sat": "012345",
            "mon-fri": "01234", "weekend": "56"}


class _Item(argparse.Action):
    """Collects items in the order they were typed (--bulletin, --audio, --jingle, --relay)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        items = list(getattr(namespace, "items", None) or [])
        items.append((self.dest, values))
        namespace.items = items


def _add_item_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bulletin", type=int, action=_Item, help="bulletin id (repeat)")
    parser.add_argument("--audio", type=int, action=_Item, help="audio file id (repeat)")
    parser.add_argument("--jingle", nargs=0, action=_Item, help="the station-ID jingle")
    parser.add_argument("--relay", action=_Item, metavar="URL",
                        help="relay a live stream (with --relay-minutes)")
    parser.add_argument("--relay-minutes", type=float, default=15.0)
    parser.add_argument("--relay-fallback", type=int, metavar="AUDIO_ID",
                        help="audio file played when the stream fails")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    series = sub.add_parser("series", help="recurring sessions").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    sadd = series.add_parser("add", help="a recurring session")
    sadd.add_argument("--title", required=True)
    sadd.add_argument("--at", required=True, help="HH:MM[:SS], Vietnam time")
    sadd.add_argument("--days", default="daily",
                      help="daily | mon-sat | mon-fri | weekend | digits 0-6 (0 = Monday)")
    sadd.add_argument("--from", dest="first", help="first day YYYY-MM-DD (default today)")
    sadd.add_argument("--until", dest="last", help="last day YYYY-MM-DD (default none)")
    sadd.add_argument("--length", type=float, default=30.0, help="planned minutes")
    _add_item_options(sadd)
    series.add_parser("list", help="recurring sessions")
    change = series.add_parser("change", help="change one day of a recurring session")
    change.add_argument("series_id", type=int)
    change.add_argument("--date", required=True, help="the day as planned, YYYY-MM-DD")
    how = change.add_mutually_exclusive_group(required=True)
    how.add_argument("--cancel", action="store_true")
    how.add_argument("--move", help='"YYYY-MM-DD HH:MM[:SS]" Vietnam time')
    how.add_argument("--length", type=float, help="new planned minutes (extend)")
    for name in ("enable", "disable"):
        series.add_parser(name).add_argument("series_id", type=int)

    campaign = sub.add_parser("campaign", help="campaigns").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    cadd = campaign.add_parser("add", help="a bulletin in matching sessions for some days")
    cadd.add_argument("--bulletin", type=int, required=True)
    cadd.add_argument("--from", dest="first", required=True)
    cadd.add_argument("--to", dest="last", required=True)
    cadd.add_argument("--series", type=int, action="append", help="only these series")
    cadd.add_argument("--window", help="HH:MM-HH:MM local start times, e.g. 04:00-11:59")
    cadd.add_argument("--max-per-day", type=int)
    cadd.add_argument("--title", default="")

    quiet = sub.add_parser("quiet-hours", help="show or set quiet hours")
    quiet.add_argument("windows", nargs="*", help="HH:MM-HH:MM (may cross midnight)")
    quiet.add_argument("--clear", action="store_true")

    audio = sub.add_parser("audio", help="operator audio files").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    aadd = audio.add_parser("add", help="import an audio file (loudness-matched)")
    aadd.add_argument("file", type=Path)
    aadd.add_argument("--title", default="")
    aadd.add_argument("--jingle", action="store_true", help="make it the station-ID jingle")
    audio.add_parser("list")

    emergency = sub.add_parser("emergency", help="play a bulletin now, interrupting the air")
    emergency.add_argument("bulletin_id", type=int, nargs="?")
    emergency.add_argument("--repeat-minutes", type=int)
    emergency.add_argument("--by", default="", help="who triggers it (default: the OS user)")
    emergency.add_argument("--cancel", type=int, metavar="EMERGENCY_ID")
    emergency.add_argument("--list", action="store_true")

    check = sub.add_parser("check", help="what would fail on air (exit 1 when something would)")
    check.add_argument("--date", help="YYYY-MM-DD (default: today and tomorrow)")
    timeline = sub.add_parser("timeline", help="the sessions of a day, in air order")
    timeline.add_argument("--date", help="YYYY-MM-DD (default today)")


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise LoaxaError("bad_time", value=text) from None


def _window(text: str) -> tuple[time, time]:
    begin, sep, end = text.partition("-")
    if not sep:
        raise LoaxaError("bad_time", value=text)
    return _clock(begin), _clock(end)


def _days(text: str) -> frozenset[int]:
    digits = DAY_SETS.get(text.strip().lower(), text.replace(",", "").strip())
    if not digits or any(c not in "0123456" for c in digits):
        raise LoaxaError("bad_days", value=text)
    return frozenset(int(c) for c in digits)


def _items(args: argparse.Namespace) -> list[ItemSpec]:
    from scheduler.schedule import ItemSpec

    out: list[ItemSpec] = []
    for kind, value in getattr(args, "items", None) or []:
        if kind == "bulletin":
            out.append(ItemSpec.bulletin(value))
        elif kind == "audio":
            out.append(ItemSpec.audio(value))
        elif kind == "jingle":
            out.append(ItemSpec.jingle())
        else:
            fallback = ItemSpec.audio(args.relay_fallback) if args.relay_fallback else None
            out.append(ItemSpec.relay(value, args.relay_minutes * 60, fallback))
    return out


def _today() -> date:
    from scheduler.timeutil import to_local, utc_now

    return to_local(utc_now()).date()


def run(ctx: AppContext, args: argparse.Namespace) -> int:
    handler = {"series": _series, "campaign": _campaign, "quiet-hours": _quiet,
               "audio": _audio, "emergency": _emergency, "check": _check,
               "timeline": _timeline}[args.command]
    return handler(ctx, args)


def _series(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler.timeutil import parse_local_date, parse_local_datetime

    db = ctx.db
    if args.action == "add":
        items = _items(args)
        _render_items(ctx, items)
        series_id = db.add_series(
            title=args.title, start=_clock(args.at), weekdays=_days(args.days),
            valid_from=parse_local_date(args.first) if args.first else _today(),
            valid_until=parse_local_date(args.last) if args.last else None,
            length_s=round(args.length * 60), items=items)
        print(tr("series_added", id=series_id, title=args.title.strip()))
        print(series_id)
        return 0
    if args.action == "change":
        day = parse_local_date(args.date)
        db.change_occurrence(args.series_id, day, cancel=args.cancel,
                             move_to=parse_local_datetime(args.move) if args.move else None,
                             length_s=round(args.length * 60) if args.length else None)
        print(tr("series_changed", id=args.series_id, day=day.isoformat()))
        return 0
    if args.action in ("enable", "disable"):
        db.set_series_enabled(args.series_id, args.action == "enable")
        print(tr("series_changed", id=args.series_id, day="*"))
        return 0
    schedule = db.load_schedule()
    names = "0123456"
    for s in schedule.series:
        days = "".join(names[d] for d in sorted(s.weekdays))
        until = s.valid_until.isoformat() if s.valid_until else "…"
        state = "" if s.enabled else f"\t({tr('disabled')})"
        print(f"{s.id}\t{s.start.strftime('%H:%M:%S')}\t{days}\t{s.valid_from}–{until}\t"
              f"{format_duration(s.length)}\t{len(s.items)}\t{s.title}{state}")
    return 0


def _render(ctx: AppContext, bulletin_id: int) -> None:
    """Audio is made now, not at air time, so sessions start on their second; a fallback to
    the offline voice is said on stderr."""
    from app.cli import _print_notice

    _print_notice(ctx.render_bulletin(bulletin_id).notice)


def _render_items(ctx: AppContext, items: list[ItemSpec]) -> None:
    for item in items:
        if item.bulletin_id is not None:
            _render(ctx, item.bulletin_id)


def _campaign(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler.timeutil import parse_local_date

    campaign_id = ctx.db.add_campaign(
        bulletin_id=args.bulletin, first_day=parse_local_date(args.first),
        last_day=parse_local_date(args.last), series_ids=args.series,
        window=_window(args.window) if args.window else None, max_per_day=args.max_per_day,
        title=args.title)
    _render(ctx, args.bulletin)
    print(tr("campaign_added", id=campaign_id))
    print(campaign_id)
    return 0


def _quiet(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.clear or args.windows:
        ctx.db.set_quiet_hours([] if args.clear else [_window(w) for w in args.windows])
    windows = ctx.db.quiet_hours()
    if not windows:
        print(tr("quiet_hours_none"))
    for begin, end in windows:
        print(f"{begin.strftime('%H:%M')}–{end.strftime('%H:%M')}")
    return 0


def _audio(ctx: AppContext, args: argparse.Namespace) -> int:
    import os
    import uuid

    from media.program import prepare_audio_file

    if args.action == "list":
        for asset_id, title in sorted(ctx.db.audio_titles().items()):
            print(f"{asset_id}\t{title}")
        return 0
    source: Path = args.file
    if not source.is_file():
        raise LoaxaError("file_not_found", path=str(source))
    options = ctx.render_options
    tmp_dir = ctx.store.root / ".tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f"{uuid.uuid4().hex}.mp3"
    try:
        program = prepare_audio_file(source, tmp, target_lufs=options.loudness_lufs,
                                     ceiling_dbtp=options.true_peak_dbtp,
                                     mp3_quality=options.mp3_quality)
        sha, rel = ctx.store.adopt(tmp)
    finally:
        if tmp.exists():
            os.unlink(tmp)
    asset = ctx.db.add_audio_asset(sha256=sha, rel_path=rel,
                                   duration_ms=round(program.duration_s * 1000),
                                   title=args.title.strip() or source.stem)
    if args.jingle:
        ctx.db.set_station_jingle(asset.id)
    _measure_for_programs(ctx, ctx.store.path_for(rel), options)
    print(tr("audio_added", id=asset.id, duration=format_duration(program.duration_s)))
    print(asset.id)
    return 0


def _measure_for_programs(ctx: AppContext, stored: Path, options: RenderOptions) -> None:
    """Measure the stored recording once now, as a session program will use it, so that
    assembling a program with it later skips the measurement (only a shortcut: on failure the
    assembly measures it itself)."""
    from media.program import measure_item

    try:
        measure_item(stored, ctx.analysis_cache_dir, target_lufs=options.loudness_lufs,
                     ceiling_dbtp=options.true_peak_dbtp)
    except (LoaxaError, OSError) as exc:
        logging.getLogger(__name__).warning("audio %s not measured for programs: %s",
                                            stored.name, exc)


def _emergency(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler.timeutil import format_local, utc_now

    db = ctx.db
    # Once the station has users, the logged-in user is who triggers (the database records
    # that name whatever --by says); before that, --by or the Windows user.
    by = db.actor.name if db.actor.is_user else (args.by.strip() or _os_user())
    if args.cancel is not None:
        db.cancel_emergency(args.cancel, by=by, at=utc_now())
        print(tr("emergency_cancelled", id=args.cancel))
        return 0
    if args.list or args.bulletin_id is None:
        for e in db.list_emergencies():
            repeat = f"{e.repeat_minutes}′" if e.repeat_minutes else "—"
            print(f"{e.id}\t{e.state}\t{format_local(e.requested_at)}\t{repeat}\t{e.plays}\t"
                  f"{e.requested_by}\t{e.bulletin_title}")
        return 0
    _render(ctx, args.bulletin_id)  # audio first: it plays at once
    emergency_id = db.add_emergency(args.bulletin_id, requested_at=utc_now(),
                                    requested_by=by, repeat_minutes=args.repeat_minutes)
    print(tr("emergency_added", id=emergency_id, by=by))
    if not _playout_running(ctx):
        print(tr("emergency_no_playout"), file=sys.stderr)
    print(emergency_id)
    return 0


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a service)
        return "?"


def _playout_running(ctx: AppContext) -> bool:
    from app.instance import InstanceLock

    lock = InstanceLock(ctx.paths.playout_lock)
    if lock.acquire():
        lock.release()
        return False
    return True


def _schedule(ctx: AppContext):
    return ctx.db.load_schedule(lambda rel: ctx.store.path_for(rel).is_file())


def _check(ctx: AppContext, args: argparse.Namespace) -> int:
    from app.i18n import check_text
    from scheduler import schedule as sched
    from scheduler.timeutil import parse_local_date

    first = parse_local_date(args.date) if args.date else _today()
    last = first if args.date else first + timedelta(days=1)
    problems = sched.check_range(_schedule(ctx), first, last)
    for problem in problems:
        label = tr("check_error") if problem.severity is sched.Severity.ERROR \
            else tr("check_warning")
        print(f"{label}: {check_text(problem)}")
    errors = sum(1 for p in problems if p.severity is sched.Severity.ERROR)
    print(tr("check_summary", first=first.isoformat(), last=last.isoformat(), errors=errors,
             warnings=len(problems) - errors))
    return 1 if errors else 0


def _timeline(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler import schedule as sched
    from scheduler.timeutil import format_local, parse_local_date

    day = parse_local_date(args.date) if args.date else _today()
    timeline = sched.resolve_day(_schedule(ctx), day)
    runs = ctx.db.run_states(s.key for s in timeline.sessions)
    for session in timeline.sessions:
        state = runs.get(session.key, "scheduled")
        print(f"{format_local(session.start)}\t{session.key}\t{state}\t{session.title}")
        for item in session.items:
            mark = f" ({tr('blocked_quiet')})" if item.blocked else ""
            length = format_duration(item.duration) if item.duration else "?"
            print(f"\t+{format_duration(item.offset)}\t{item.kind.value}\t{length}\t"
                  f"{item.title}{mark}")
    if not timeline.sessions:
        print(tr("timeline_empty", day=day.isoformat()))
    return 0
