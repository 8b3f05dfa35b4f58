"""What a session program needs to know about an item, kept between assemblies.

Matching an item to the loudness target costs far more than applying the result: the
K-weighting, the exact (4× oversampled) true peaks near the ceiling, the limiter's rounds and
the check of its output. Their result is small — a gain, the limiter's per-block gain curve,
the item's 100 ms loudness sub-blocks — and depends only on the decoded samples and the
target. It is kept here, one file per item and target, named by the SHA-256 of the item's
bytes, the decoder that produced the samples, the program rate, the target, the ceiling and
``VERSION``; any change to one of them is a different entry, so an entry is never applied to
other samples than the ones it was measured on.

A cache is only ever a shortcut: an entry that cannot be read or does not fit the decoded
item is ignored (the item is measured again and the entry rewritten), and an entry that cannot
be written is simply not kept. Files are written through a temporary file and a rename.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

VERSION = 1  # bump when the analysis or the levelling changes what it produces


@dataclass(frozen=True)
class ItemAnalysis:
    """How one decoded item is matched: ``samples`` decoded (before padding to whole 100 ms),
    its loudness as decoded, the gain and limiter curve (per analysis block; None: a plain
    gain), the true peak after matching, and the matched item's 100 ms sub-block mean squares
    of K-weighted signal (for the loudness of the whole program)."""

    samples: int
    source_lufs: float
    peak_dbtp: float
    gain: float
    curve: np.ndarray | None
    sub_ms: np.ndarray


def entry_key(digest: str, decoder: str, rate: int, target_lufs: float,
              ceiling_dbtp: float) -> str:
    """The name of an item's entry: its content hash and everything the analysis depends on."""
    params = f"{VERSION}|{decoder}|{int(rate)}|{float(target_lufs)!r}|{float(ceiling_dbtp)!r}"
    return f"{digest}-{hashlib.sha256(params.encode('utf-8')).hexdigest()[:16]}"


class AnalysisCache:
    """Entries under ``folder`` (``<key[:2]>/<key>.npz``, numpy's own format, no pickles)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.npz"

    def get(self, key: str, samples: int, blocks: int, subs: int) -> ItemAnalysis | None:
        """The entry, if there is one that fits an item of ``samples`` decoded samples,
        ``blocks`` analysis blocks and ``subs`` 100 ms sub-blocks; None otherwise."""
        path = self._path(key)
        try:
            with np.load(path, allow_pickle=False) as entry:
                meta = np.asarray(entry["meta"], dtype=np.float64)
                curve = np.asarray(entry["curve"], dtype=np.float32)
                sub_ms = np.asarray(entry["sub_ms"], dtype=np.float64)
        except FileNotFoundError:
            return None
        except Exception:  # unreadable, truncated, not ours: measured again
            return None
        if meta.shape != (5,) or int(meta[0]) != VERSION or int(meta[1]) != samples:
            return None
        source_lufs, peak_dbtp, gain = (float(v) for v in meta[2:])
        if curve.size not in (0, blocks) or sub_ms.size != subs:
            return None
        if not (math.isfinite(gain) and gain > 0) or math.isnan(source_lufs) \
                or math.isnan(peak_dbtp) or not np.isfinite(sub_ms).all() \
                or (curve.size and not (np.isfinite(curve).all() and (curve > 0).all()
                                        and (curve <= 1).all())):
            return None
        return ItemAnalysis(samples, source_lufs, peak_dbtp, gain,
                            curve if curve.size else None, sub_ms)

    def put(self, key: str, analysis: ItemAnalysis) -> None:
        """Keep the entry (nothing happens when it cannot be written)."""
        path = self._path(key)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{id(analysis)}.part")
        meta = np.array([VERSION, analysis.samples, analysis.source_lufs, analysis.peak_dbtp,
                         analysis.gain], dtype=np.float64)
        curve = analysis.curve if analysis.curve is not None else np.zeros(0, np.float32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as out:
                np.savez_compressed(out, meta=meta, curve=curve.astype(np.float32),
                                    sub_ms=analysis.sub_ms.astype(np.float64))
            os.replace(tmp, path)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
