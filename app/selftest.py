"""``loaxa --selftest``: the offline voice, the encoder and the audio output, end to end.

Renders a Vietnamese sentence with espeak-ng, decodes it, checks that an output device
exists, plays it there and prints one line ending in ``ok`` (exit 0), or the failing step
(exit 1). Touches no user data.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

from app import __version__
from app.i18n import error_text
from media.errors import LoaxaError
from media.render import RenderOptions, render_text

SENTENCE = "Đây là hệ thống loa truyền thanh xã. Kiểm tra âm thanh: một, hai, ba."


def run_selftest() -> int:
    from scheduler.player import MiniaudioPlayer

    started = time.monotonic()
    player = MiniaudioPlayer()
    try:
        with tempfile.TemporaryDirectory(prefix="loaxa-selftest-") as folder:
            out = Path(folder) / "selftest.mp3"
            result = render_text(SENTENCE, out, RenderOptions(lead_ms=100, tail_ms=200))
            device = player.output_name()
            if device is None:
                raise LoaxaError("no_output")
            clip = player.load(out)
            played = player.play(clip, threading.Event())
            if not played.completed:
                raise LoaxaError("output_open_failed", reason=played.reason)
    except LoaxaError as exc:
        print(f"LoaXa {__version__} selftest: FAILED: {error_text(exc)}", flush=True)
        return 1
    finally:
        player.close()
    print(f"LoaXa {__version__} selftest: voice {result.engine}/{result.voice} "
          f"{result.duration_s:.1f} s, output '{device}', played {played.played_s:.1f} s "
          f"in {time.monotonic() - started:.1f} s, python {sys.version.split()[0]}: ok",
          flush=True)
    return 0
