"""One session occurrence of the resolved timeline as a single loudness-matched audio file
(MP3 or WAV), for a USB stick or a village without the network.

Shared by ``loaxa session export`` (``app.cli_export``) and the Schedule view's *Export as
audio file* (``app.gui.views.schedule``): the same items in the same order as on air, the same
approval gate as the playout engine, bulletins whose audio is missing or out of date made
first, a relay left out with a notice, and nothing left behind when cancelled or refused.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import error_text, tr
from media.errors import Cancelled, LoaxaError

if TYPE_CHECKING:
    from app.services import AppContext
    from scheduler.schedule import PlannedItem, PlannedSession

FORMATS = ("mp3", "wav")
MAX_GAP_S = 60.0

Steps = Callable[[int, int], None]


@dataclass
class SessionExport:
    """What was written: the file, its length and loudness, and what the operator should know
    (relays and unapproved bulletins left out, a fallback voice used)."""

    path: Path
    duration_s: float
    lufs: float
    true_peak_dbtp: float
    items: int
    notices: list[str] = field(default_factory=list)


def check_writable(out: Path) -> None:
    """Refuses an output that cannot be written before any work (the encoder writes through a
    temporary file in the same folder and renames it into place)."""
    from media.audio import output_encoding

    output_encoding(out)  # .mp3 or .wav
    if out.is_dir():
        raise LoaxaError("file_unwritable", path=str(out), reason=tr("export_is_folder"))
    probe = out.with_name(f".{out.name}.{uuid.uuid4().hex}.probe")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise LoaxaError("file_unwritable", path=str(out),
                         reason=exc.strerror or str(exc)) from None


def remove_partial(out: Path) -> None:
    """The encoder removes its own temporary file; this catches one left by an interrupt that
    came while it was being set up."""
    try:
        for part in out.parent.glob(f".{out.name}.{os.getpid()}.*.part"):
            part.unlink(missing_ok=True)
    except OSError:
        pass


def _approved(ctx: AppContext, item: PlannedItem) -> bool:
    """The playout engine's gate, asked of the database now: a bulletin goes on air (and so
    into a file for the loudspeakers) only while approved for its current level and text."""
    if item.bulletin_id is None:
        return True
    try:
        return ctx.db.get_bulletin(item.bulletin_id).approved
    except LoaxaError:
        return True  # unknown: making its audio says so (bulletin_not_found)


def _item_path(ctx: AppContext, item: PlannedItem, should_stop: Callable[[], bool],
               notices: list[str], notice: Callable[[str], None]) -> Path:
    from scheduler.schedule import ItemKind

    if item.kind is ItemKind.BULLETIN:
        if item.bulletin_id is None:
            raise LoaxaError("bulletin_not_found", id="?")
        # Missing or stale audio is made now, as `session add` does.
        rendered = ctx.render_bulletin(item.bulletin_id, should_stop=should_stop)
        if rendered.notice is not None:
            text = tr("voice_fallback", reason=error_text(rendered.notice))
            notices.append(text)
            notice(text)
        return ctx.store.path_for(rendered.asset.rel_path)
    if item.audio_id is None:
        raise LoaxaError("audio_asset_not_found", id="?")
    return ctx.store.path_for(ctx.db.get_audio_asset(item.audio_id).rel_path)


def export_session(ctx: AppContext, session: PlannedSession, out: Path, *,
                   gap_s: float = 1.0, should_stop: Callable[[], bool] = lambda: False,
                   preparing: Steps | None = None, assembling: Steps | None = None,
                   notice: Callable[[str], None] = lambda _text: None) -> SessionExport:
    """Writes ``session`` (a planned occurrence) to ``out`` (.mp3 or .wav).

    ``preparing(done, total)`` counts the items looked at (bulletins rendered when needed),
    ``assembling(done, total)`` the items put into the file; ``notice`` hears each thing the
    operator should know as it happens (also listed in the result). Cancelled by
    ``should_stop`` (``Cancelled`` is raised) or Ctrl+C, and refused with a ``LoaxaError``:
    either way no file is left. A broken item is named by a notice before the error."""
    from media.program import assemble_program
    from scheduler.schedule import ItemKind

    if not 0 <= gap_s <= MAX_GAP_S:
        raise LoaxaError("export_bad_gap", value=gap_s)
    check_writable(out)
    notices: list[str] = []

    def tell(text: str) -> None:
        notices.append(text)
        notice(text)

    try:
        paths: list[Path] = []
        titles: dict[Path, str] = {}
        items = session.items
        for n, item in enumerate(items):
            if should_stop():
                raise Cancelled()
            if preparing is not None:
                preparing(n, len(items))
            if item.kind is ItemKind.RELAY:
                tell(tr("export_relay_left_out", url=item.url))
                continue
            if item.kind is ItemKind.BULLETIN and not _approved(ctx, item):
                tell(tr("export_unapproved_left_out", title=item.title))
                continue
            path = _item_path(ctx, item, should_stop, notices, notice)
            paths.append(path)
            titles.setdefault(path, item.title)
        if preparing is not None:
            preparing(len(items), len(items))
        if not paths:
            raise LoaxaError("export_nothing", title=session.title)

        shown: list[int] = []

        def progress(done: int, total: int) -> None:
            done = min(done, len(paths))  # the last step is the encoder finishing
            if assembling is not None and (not shown or shown[-1] != done):
                shown.append(done)
                assembling(done, len(paths))

        s = ctx.settings
        try:
            result = assemble_program(
                paths, out, target_lufs=s.loudness_target_lufs,
                ceiling_dbtp=s.true_peak_ceiling_dbtp, gap_ms=round(gap_s * 1000),
                mp3_quality=s.mp3_quality, progress=progress, should_stop=should_stop,
                cache_dir=ctx.analysis_cache_dir)
        except LoaxaError as exc:
            bad = exc.params.get("path")
            if exc.code in ("audio_corrupt", "audio_missing") and bad is not None:
                title = titles.get(Path(bad))
                if title is not None:
                    tell(tr("export_bad_item", title=title))
            raise
    except (LoaxaError, KeyboardInterrupt):  # Cancelled is a LoaxaError
        remove_partial(out)
        raise
    return SessionExport(path=out, duration_s=result.duration_s, lufs=result.lufs,
                         true_peak_dbtp=result.true_peak_dbtp, items=len(paths),
                         notices=notices)


__all__ = ["FORMATS", "SessionExport", "check_writable",
           "export_session", "remove_partial"]
