"""The ``loaxa`` command: the window with no arguments, sub-commands otherwise."""

from __future__ import annotations

import argparse
import logging
import shutil
import signal
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.i18n import error_text, format_duration, reason_text, set_language, tr
from media.errors import LoaxaError

if TYPE_CHECKING:
    from app.services import AppContext
    from scheduler.playout import EngineEvent

log = logging.getLogger(__name__)


def _utf8_console() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (OSError, ValueError):
                pass


def _bulletin_meta_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--category", help="policy area of the communication plan")
    parser.add_argument("--document", help='policy document, e.g. "07/CT-TTg"')
    parser.add_argument("--issuer", help="issuing body")
    parser.add_argument("--valid-from", help="YYYY-MM-DD")
    parser.add_argument("--valid-until", help="YYYY-MM-DD")
    parser.add_argument("--rank", type=int, help="order among priority bulletins (lower first)")


def _bulletin_meta(args: argparse.Namespace) -> dict:
    from scheduler.timeutil import parse_local_date

    meta = {"category": args.category, "document_ref": args.document,
            "issuing_body": args.issuer, "priority_rank": args.rank,
            "valid_from": parse_local_date(args.valid_from) if args.valid_from else None,
            "valid_until": parse_local_date(args.valid_until) if args.valid_until else None}
    return {key: value for key, value in meta.items() if value is not None}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loaxa", description=tr("cli_description"))
    parser.add_argument("--version", action="version", version=f"LoaXa {__version__}")
    parser.add_argument("--selftest", action="store_true",
                        help="render a Vietnamese sentence offline, play it, print a line "
                             "ending in ok")
    parser.add_argument("--tray", action="store_true",
                        help="open the window hidden in the tray (start with Windows)")
    parser.add_argument("--screenshots", type=Path, metavar="DIR",
                        help="render every view with sample data to PNG files in DIR")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    bulletin = sub.add_parser("bulletin", help="bulletins").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    add = bulletin.add_parser("add", help="store a bulletin from a text file")
    add.add_argument("file", type=Path)
    add.add_argument("--title", required=True)
    add.add_argument("--level", choices=("normal", "priority", "emergency"), default="normal")
    _bulletin_meta_options(add)
    bulletin.add_parser("list", help="list bulletins")
    bset = bulletin.add_parser("set", help="change a bulletin's level, priority order or "
                                           "metadata")
    bset.add_argument("bulletin_id", type=int)
    bset.add_argument("--level", choices=("normal", "priority", "emergency"))
    bset.add_argument("--title")
    _bulletin_meta_options(bset)
    from app import cli_people

    cli_people.add_approval_parsers(bulletin)

    render = sub.add_parser("render", help="make broadcast audio of a bulletin (id), a text "
                                           "file, or an audio file (loudness-matched)")
    render.add_argument("source", help="bulletin id, text file, or audio file")
    render.add_argument("-o", "--output", type=Path, required=True, help="OUT.mp3 or OUT.wav")

    session = sub.add_parser("session", help="broadcast sessions").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    sadd = session.add_parser("add", help="schedule a one-off session (Vietnam time)")
    sadd.add_argument("--at", required=True, help='"YYYY-MM-DD HH:MM[:SS]"')
    sadd.add_argument("--bulletin", type=int, action="append", required=True,
                      help="bulletin id (repeat for several, in order)")
    sadd.add_argument("--title", default="")
    session.add_parser("list", help="list sessions")
    from app import cli_export

    cli_export.add_parser(session)

    playout = sub.add_parser("playout", help="run the playout engine")
    playout.add_argument("--until-idle", action="store_true",
                         help="exit when nothing is on air and no session starts within 5 "
                              "minutes")

    logp = sub.add_parser("log", help="broadcast log").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    export = logp.add_parser("export", help="export the log: CSV (UTF-8 with BOM), XLSX "
                                             "(summary and detail sheets) or PDF")
    export.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    export.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
    export.add_argument("--format", dest="fmt", choices=("csv", "xlsx", "pdf"),
                        help="default: from the output file's extension")
    export.add_argument("-o", "--output", type=Path, required=True)
    package = logp.add_parser("package", help="write a signed package of the log (for the "
                                              "centre)")
    package.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    package.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
    package.add_argument("-o", "--output", type=Path, required=True)
    verify = logp.add_parser("verify", help="check a log package: canonical form, hash chain, "
                                            "signature (exit 0 only when valid)")
    verify.add_argument("file", type=Path)
    correct = logp.add_parser("correct", help="append a correction of a sealed entry")
    correct.add_argument("--seq", type=int, required=True, help="seq of the entry corrected")
    correct.add_argument("--status", required=True,
                         choices=("played", "partial", "failed", "interrupted", "missed",
                                  "skipped"))
    correct.add_argument("--note", required=True, help="why")
    correct.add_argument("--by", default="", help="who corrects it")

    report = sub.add_parser("report", help="the printable broadcast report of a period "
                                           "(official Vietnamese layout), PDF or XLSX")
    report.add_argument("--month", help="YYYY-MM")
    report.add_argument("--from", dest="first", help="YYYY-MM-DD")
    report.add_argument("--to", dest="last", help="YYYY-MM-DD")
    report.add_argument("--format", dest="fmt", choices=("pdf", "xlsx"),
                        help="default: from the output file's extension")
    report.add_argument("-o", "--output", type=Path, required=True)

    sub.add_parser("demo", help="fill an empty database with a sample bulletin and session")

    norm = sub.add_parser("normalize", help="spoken form of UTF-8 text on stdin, line for line")
    norm.add_argument("--text", help="one string instead of stdin")

    from app import cli_schedule

    cli_schedule.add_parsers(sub)

    station = sub.add_parser("station", help="station identity").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    station.add_parser("show")
    sset = station.add_parser("set")
    sset.add_argument("--commune")
    sset.add_argument("--code")
    sset.add_argument("--centre", help="the centre that collects the broadcast log")
    sub.add_parser("voices", help="Vietnamese voices installed in Windows (SAPI), for "
                   "sapi_voice in settings.toml")
    newkey = station.add_parser("new-key", help="recovery only: make a new signing key (a new "
                                                "identity for the centre)")
    newkey.add_argument("--confirm", action="store_true")

    centre = sub.add_parser("centre", help="centre mode: communes' packages").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    register = centre.add_parser("register", help="register a commune's public key")
    register.add_argument("source", help="public key (64 hex digits) or a package file")
    register.add_argument("--name", required=True, help="the commune's name")
    register.add_argument("--code", default="", help="administrative code")
    cimport = centre.add_parser("import", help="verify and merge log packages")
    cimport.add_argument("files", type=Path, nargs="+")
    centre.add_parser("list", help="registered communes and their last seq")
    push = centre.add_parser("push", help="commune: send new log entries to the centre's "
                                          "database (setting centre_database_url)")
    push.add_argument("--url", default="", help="the centre's database URL (instead of the "
                                                "setting)")
    push.add_argument("--every", type=float, metavar="MINUTES", default=0,
                      help="keep running: push again every MINUTES until stopped")
    push.add_argument("--batch", type=_batch_size, default=500, help=argparse.SUPPRESS)
    creport = centre.add_parser("report", help="the consolidated report across communes of a "
                                               "period (official layout): PDF, XLSX or CSV")
    creport.add_argument("--month", help="YYYY-MM")
    creport.add_argument("--from", dest="first", help="YYYY-MM-DD")
    creport.add_argument("--to", dest="last", help="YYYY-MM-DD")
    creport.add_argument("--commune", action="extend", nargs="+", default=[],
                         metavar="CODE",
                         help="only these communes: administrative code, station id or name "
                              "(default: every registered commune)")
    creport.add_argument("--format", dest="fmt", choices=("pdf", "xlsx", "csv"),
                         help="default: from the output file's extension")
    creport.add_argument("-o", "--output", type=Path, required=True)
    cli_people.add_parsers(sub)
    cli_people.add_as_option(parser)  # --as USER on every command (app/cli_people.py)
    return parser


def main(argv: list[str] | None = None) -> int:
    _utf8_console()
    logging.getLogger().addHandler(logging.NullHandler())  # messages go to the user, not stderr
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        from app.gui.main_window import run_gui

        return run_gui()
    args = build_parser().parse_args(argv)
    if args.selftest:
        from app.selftest import run_selftest

        return run_selftest()
    if args.screenshots is not None:
        from app.gui.screenshots import run_screenshots

        return run_screenshots(args.screenshots)
    if args.command is None:
        from app.gui.main_window import run_gui

        return run_gui(tray_only=args.tray)
    try:
        if args.command == "normalize":
            return _normalize(args)
        if args.command == "voices":
            return _voices()
        if args.command == "log" and args.action == "verify":
            return _log_verify(args)
        return _dispatch(args)
    except LoaxaError as exc:
        log.error("%s", exc)
        print(f"{tr('error')}: {error_text(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(tr("cancelled"), file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    from app.services import open_context

    process = "playout" if args.command == "playout" else "cli"
    ctx = open_context(process)
    try:
        from app import cli_people, cli_schedule

        cli_people.authenticate(ctx, args)  # once the station has users
        handler = {
            "bulletin": _bulletin, "render": _render, "session": _session,
            "playout": _playout, "log": _log, "demo": _demo, "station": _station,
            "report": _report, "centre": _centre, "user": cli_people.run,
            "audit": cli_people.run,
        }.get(args.command, cli_schedule.run)
        return handler(ctx, args)
    finally:
        ctx.close()


def _normalize(args: argparse.Namespace) -> int:
    """A filter: needs no database, only the commune's lexicon."""
    from app.paths import app_paths
    from app.services import load_lexicon
    from media.normalize import Normalizer

    normalizer = Normalizer(load_lexicon(app_paths()))
    if args.text is not None:
        print(normalizer.text(args.text))
        return 0
    stdin = sys.stdin.buffer
    out = sys.stdout
    for number, raw in enumerate(stdin, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LoaxaError("text_bad_encoding", position=f"{number}:{exc.start}") from None
        out.write(normalizer.line(line.rstrip("\r\n")) + "\n")
    out.flush()
    return 0


def _voices() -> int:
    """The Vietnamese system voices (id, name, languages), one a line; needs no database."""
    from app.paths import app_paths
    from app.settings import load_settings
    from media.tts.sapi import SapiEngine

    settings = load_settings(app_paths().settings_file)
    set_language(settings.language)
    voices = SapiEngine(settings.sapi_voice).list_voices()
    if not voices:
        raise LoaxaError("sapi_no_vietnamese")
    for voice in voices:
        print(f"{voice.id}\t{voice.name}\t{', '.join(voice.languages)}")
    return 0


def _bulletin(ctx: AppContext, args: argparse.Namespace) -> int:
    from media.textio import read_text_file

    if args.action == "add":
        text = read_text_file(args.file)
        title = args.title.strip() or args.file.stem
        meta = _bulletin_meta(args)
        bulletin_id = ctx.db.add_bulletin(title, text, source_name=args.file.name,
                                          level=args.level)
        if meta:
            ctx.db.update_bulletin(bulletin_id, **meta)
        print(tr("bulletin_added", title=title, chars=len(text)))
        print(bulletin_id)
        return 0
    if args.action in ("approve", "unapprove"):
        from app import cli_people

        return cli_people.approval(ctx, args)
    if args.action == "set":
        fields = _bulletin_meta(args)
        if args.level:
            fields["level"] = args.level
        if args.title:
            fields["title"] = args.title
        ctx.db.update_bulletin(args.bulletin_id, **fields)
        print(tr("bulletin_updated", id=args.bulletin_id))
        return 0
    from app.cli_people import approval_text

    for b in ctx.db.list_bulletins():
        audio = format_duration(b.audio.duration_ms / 1000) if b.audio else "—"
        rank = f"#{b.priority_rank}" if b.level.value == "priority" else ""
        print(f"{b.id}\t{b.level.value}{rank}\t{audio}\t{b.title}\t{b.category}\t"
              f"{b.document_ref}\t{approval_text(b.approved, b.approved_by, b.approved_at)}")
    return 0


def _render(ctx: AppContext, args: argparse.Namespace) -> int:
    from media.audio import decode_pcm, encode_pcm, output_encoding
    from media.program import AUDIO_INPUTS, prepare_audio_file
    from media.render import render_text
    from media.textio import read_text_file

    out: Path = args.output
    output_encoding(out)
    source = Path(args.source)
    if args.source.isdigit() and not source.exists():
        rendered = ctx.render_bulletin(int(args.source))
        _print_notice(rendered.notice)
        if not rendered.fresh:
            print(tr("render_reused"))
        asset = rendered.asset
        stored = ctx.store.path_for(asset.rel_path)
        try:
            if out.suffix.lower() == stored.suffix.lower():
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(stored, out)
            else:
                rate = ctx.settings.sample_rate
                encode_pcm(decode_pcm(stored, rate, 1), rate, 1, out, target_rate=rate)
        except OSError as exc:
            raise LoaxaError("file_unwritable", path=str(out), reason=exc.strerror) from None
        duration = asset.duration_ms / 1000
    elif source.suffix.lower() in AUDIO_INPUTS:  # an operator's recording: loudness-matched
        options = ctx.render_options
        program = prepare_audio_file(source, out, target_lufs=options.loudness_lufs,
                                     ceiling_dbtp=options.true_peak_dbtp,
                                     mp3_quality=options.mp3_quality)
        duration = program.duration_s
    else:
        result = render_text(read_text_file(source), out, ctx.render_options,
                             engine=ctx.tts_engine())
        _print_notice(result.notice)
        duration = result.duration_s
    print(tr("rendered", path=out, duration=format_duration(duration)))
    return 0


def _print_notice(notice: LoaxaError | None) -> None:
    if notice is not None:
        print(tr("voice_fallback", reason=error_text(notice)), file=sys.stderr)


def _session(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler.timeutil import format_local, parse_local_datetime, utc_now

    if args.action == "export":
        from app import cli_export

        return cli_export.run(ctx, args)
    if args.action == "list":
        for s in ctx.db.list_sessions():
            titles = ", ".join(i.bulletin_title for i in s.items)
            print(f"{s.id}\t{format_local(s.scheduled_at)}\t{s.state.value}\t{titles}")
        return 0
    at = parse_local_datetime(args.at)
    for bulletin_id in args.bulletin:
        ctx.db.get_bulletin(bulletin_id)  # refuse an unknown id before anything is stored
    for bulletin_id in args.bulletin:
        # Audio is made now, not at air time, so the session can start on its second.
        _print_notice(ctx.render_bulletin(bulletin_id).notice)
    session_id = ctx.db.add_session(at, args.bulletin, title=args.title)
    print(tr("session_added", id=session_id, at=format_local(at), n=len(args.bulletin)))
    if at < utc_now():
        print(tr("session_in_past", grace=ctx.settings.grace_minutes))
    return 0


def _playout(ctx: AppContext, args: argparse.Namespace) -> int:
    from app.instance import InstanceLock
    from scheduler.clock import SystemClock
    from scheduler.player import MiniaudioPlayer
    from scheduler.playout import EngineConfig, PlayoutEngine

    lock = InstanceLock(ctx.paths.playout_lock)
    if not lock.acquire():
        print(tr("playout_running"), file=sys.stderr)
        return 3
    try:
        config = EngineConfig(grace=timedelta(minutes=ctx.settings.grace_minutes),
                              preroll=timedelta(seconds=ctx.settings.preroll_seconds))
        player = MiniaudioPlayer(device_name=ctx.settings.output_device)
        engine = PlayoutEngine(ctx.db, ctx.store, player, SystemClock(), config,
                               on_event=_print_event, amplifier=ctx.amplifier())
        for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), lambda *_: engine.stop())
        print(tr("playout_started"), flush=True)
        engine.run(until_idle=args.until_idle)
        if args.until_idle:
            print(tr("playout_idle"))
        return 0
    finally:
        lock.release()


def _print_event(event: EngineEvent) -> None:
    detail = reason_text(event.detail) if event.kind == "alarm" else event.detail
    where = event.key or event.session_id
    print(f"[{event.kind}] {where} {detail}".rstrip(), flush=True)


def _log(ctx: AppContext, args: argparse.Namespace) -> int:
    from app.paths import resources_dir
    from scheduler.export import export_format, export_log
    from scheduler.timeutil import parse_local_date

    if args.action in ("package", "correct"):
        return _log_chain(ctx, args)
    first, last = parse_local_date(args.first), parse_local_date(args.last)
    out: Path = args.output
    fmt = export_format(out, args.fmt)  # refuse an unknown format before any work
    count = export_log(ctx.db, first, last, out, fmt=fmt,
                       reason_label=lambda r: reason_text(r, "vi"),
                       fonts_dir=resources_dir() / "fonts")
    print(tr("exported", count=count, path=out))
    return 0


def _report(ctx: AppContext, args: argparse.Namespace) -> int:
    from app.paths import resources_dir
    from scheduler.reports.document import period_words
    from scheduler.reports.report import month_range, report_format, write_report
    from scheduler.timeutil import local_day_range, parse_local_date

    if args.month:
        first, last = month_range(args.month)
    elif args.first and args.last:
        first, last = parse_local_date(args.first), parse_local_date(args.last)
    else:
        raise LoaxaError("report_period_missing")
    local_day_range(first, last)  # refuses a reversed range
    out: Path = args.output
    fmt = report_format(out, args.fmt)
    data = write_report(ctx.db, first, last, out, fmt=fmt, fonts_dir=resources_dir() / "fonts",
                        reason_label=lambda r: reason_text(r, "vi"))
    print(tr("report_written", period=period_words(first, last).lower(), entries=data.entries,
             path=out))
    return 0


def _demo(ctx: AppContext, args: argparse.Namespace) -> int:
    from app.sample_data import seed_demo
    from scheduler.timeutil import format_local

    if ctx.db.count_bulletins() > 0:
        print(tr("demo_not_empty"))
        return 0
    bulletin_id, session_id, notice = seed_demo(ctx)
    _print_notice(notice)
    at = ctx.db.get_session(session_id).scheduled_at
    print(tr("demo_done", bulletin=bulletin_id, session=session_id, at=format_local(at)))
    return 0


def _station(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.action == "set":
        station = ctx.db.set_station(commune_name=args.commune, admin_code=args.code,
                                     centre_name=args.centre)
    else:
        station = ctx.db.get_station()
    if args.action == "new-key":
        return _station_new_key(ctx, args)
    unset = tr("not_set")
    print(tr("station_show", commune=station.commune_name or unset,
             code=station.admin_code or unset, centre=station.centre_name or unset))
    if ctx.key is not None:
        print(tr("station_key_show", fingerprint=ctx.key.fingerprint,
                 station_id=ctx.key.station_id, public_key=ctx.key.public_hex))
    elif ctx.key_error is not None:
        print(tr("station_key_problem", problem=error_text(ctx.key_error)))
    return 0


def _station_new_key(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler.logbook.service import new_station_key

    if not args.confirm:
        print(tr("station_new_key_confirm"), file=sys.stderr)
        return 2
    ctx.key = new_station_key(ctx.db, ctx.paths.station_key_file)
    ctx.key_error = None
    print(tr("station_new_key_done"))
    print(tr("station_key_show", fingerprint=ctx.key.fingerprint,
             station_id=ctx.key.station_id, public_key=ctx.key.public_hex))
    return 0


def _log_chain(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler.logbook.service import make_package, write_atomic
    from scheduler.records import LogStatus
    from scheduler.timeutil import parse_local_date

    if args.action == "correct":
        entry = ctx.db.add_correction(args.seq, LogStatus(args.status), args.note, args.by)
        print(tr("log_corrected", seq=entry.seq, corrects=args.seq))
        return 0
    first, last = parse_local_date(args.first), parse_local_date(args.last)
    data, span = make_package(ctx.db, ctx.station_key(), first, last)
    write_atomic(args.output, data)
    if span is None:
        print(tr("package_written_empty", path=args.output))
        return 0
    print(tr("package_written", count=span[1] - span[0] + 1, path=args.output, first=span[0],
             last=span[1]))
    return 0


def _log_verify(args: argparse.Namespace) -> int:
    """Needs no database: any machine with LoaXa can check a package."""
    from app.i18n import set_language
    from app.paths import app_paths
    from app.settings import load_settings
    from scheduler.logbook.chain import fingerprint
    from scheduler.logbook.service import verify_file

    set_language(load_settings(app_paths().settings_file).language)
    try:
        package = verify_file(args.file, parse_entries=False)
    except LoaxaError as exc:
        if not exc.code.startswith("package_"):
            raise
        print(tr("package_invalid", reason=error_text(exc)))
        return 1
    h = package.header
    print(tr("package_ok", commune=h["commune_name"] or "-", code=h["admin_code"] or "-",
             station=h["station_id"], fingerprint=fingerprint(h["public_key"]),
             range_from=h["range_from"], range_to=h["range_to"], count=h["entry_count"],
             first=h["first_seq"] or "-", last=h["last_seq"] or "-"))
    return 0


def _centre(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler.logbook.chain import fingerprint
    from scheduler.logbook.service import import_package, read_package_file, register_station

    if args.action == "register":
        station = register_station(ctx.db, args.source, args.name, args.code)
        print(tr("centre_registered", commune=station.commune_name, station=station.station_id,
                 fingerprint=fingerprint(station.public_key)))
        return 0
    if args.action == "list":
        stations = ctx.db.centre_stations()
        if not stations:
            print(tr("centre_list_empty"))
        for s in stations:
            print(tr("centre_list_row", commune=s.commune_name, code=s.admin_code or "-",
                     station=s.station_id, count=s.entry_count,
                     last=s.last_seq if s.last_seq is not None else "-",
                     contiguous=s.contiguous_seq, fingerprint=fingerprint(s.public_key)))
        return 0
    if args.action == "push":
        return _centre_push(ctx, args)
    if args.action == "report":
        return _centre_report(ctx, args)
    refused = 0
    for path in args.files:
        try:
            result = import_package(ctx.db, read_package_file(path))
        except LoaxaError as exc:
            if exc.code in ("db_unavailable",):
                raise
            refused += 1
            log.warning("centre import refused %s: %s", path, exc)
            print(tr("centre_refused", path=path, reason=error_text(exc)))
            continue
        print(tr("centre_imported", path=path, commune=result.commune_name,
                 added=result.added, already=result.already))
    return 1 if refused else 0


def _batch_size(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 5000:
        raise argparse.ArgumentTypeError("1 … 5000")
    return value


def _push_once(ctx: AppContext, url: str, batch: int) -> None:
    from scheduler.logbook.outbox import push_new_entries
    from scheduler.persistence import Database

    centre = Database.open_centre(url)
    try:
        result = push_new_entries(ctx.db, centre, batch=batch)
    finally:
        centre.close()
    print(tr("push_done", sent=result.sent, already=result.already_there,
             commune=result.commune_name or result.station_id,
             last=result.last_seq if result.last_seq is not None else "-"), flush=True)


def _centre_push(ctx: AppContext, args: argparse.Namespace) -> int:
    """One push (exit 1 when it fails), or with --every a push every N minutes until
    stopped, where a failure (no network) is reported and tried again next time."""
    import time

    url = args.url.strip() or ctx.settings.centre_database_url
    if not url:
        raise LoaxaError("centre_url_unset")
    if args.every <= 0:
        _push_once(ctx, url, args.batch)
        return 0
    print(tr("push_every", minutes=f"{args.every:g}"), flush=True)
    try:
        while True:
            try:
                _push_once(ctx, url, args.batch)
            except LoaxaError as exc:
                log.warning("centre push failed: %s", exc)
                print(tr("push_failed", reason=error_text(exc)), file=sys.stderr, flush=True)
            time.sleep(max(args.every, 0.01) * 60)
    except KeyboardInterrupt:
        print(tr("push_stopped"))
        return 0


def _centre_report(ctx: AppContext, args: argparse.Namespace) -> int:
    """``loaxa centre report``: every input is checked before the database is read."""
    from app.paths import resources_dir
    from scheduler.reports.centre import centre_report_format, write_centre_report
    from scheduler.reports.document import period_words
    from scheduler.reports.report import month_range
    from scheduler.timeutil import local_day_range, parse_local_date

    if args.month and (args.first or args.last):
        raise LoaxaError("report_period_both")
    if args.month:
        first, last = month_range(args.month)
    elif args.first and args.last:
        first, last = parse_local_date(args.first), parse_local_date(args.last)
    else:
        raise LoaxaError("report_period_missing")
    local_day_range(first, last)  # refuses a reversed range
    out: Path = args.output
    fmt = centre_report_format(out, args.fmt)
    settings = ctx.settings
    data = write_centre_report(
        ctx.db, first, last, out, fonts_dir=resources_dir() / "fonts", communes=args.commune,
        fmt=fmt, centre=settings.centre_name, governing_body=settings.centre_governing_body,
        recipient=settings.centre_report_recipient,
        reason_label=lambda r: reason_text(r, "vi"))
    print(tr("centre_report_written", period=period_words(first, last).lower(),
             reporting=len(data.reporting), communes=len(data.communes), entries=data.entries,
             path=out))
    if data.silent:
        print(tr("centre_report_silent", names=", ".join(t.commune.name for t in data.silent)))
    return 0
