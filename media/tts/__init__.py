"""Text-to-speech engines behind one small interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Speech:
    """Mono signed 16-bit little-endian samples."""

    pcm: bytes
    sample_rate: int

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


class TtsEngine(Protocol):
    name: str

    def synthesize(self, text: str, voice: str, rate_wpm: int,
                   should_stop: object = None) -> Speech:
        """Speak ``text`` (already in spoken form). ``should_stop`` is a callable returning
        True to abandon the work (raises media.errors.Cancelled)."""
        ...
