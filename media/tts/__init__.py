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


class FallbackEngine:
    """The online voice, or the offline one when it cannot be reached — with a notice saying
    why. Once it has fallen back, it stays there for the rest of the work, so one bulletin is
    never read by two voices (``render_text`` redoes earlier parts when it switched midway)."""

    def __init__(self, primary: TtsEngine, primary_voice: str, fallback: TtsEngine,
                 fallback_voice: str) -> None:
        self.primary, self.primary_voice = primary, primary_voice
        self.fallback, self.fallback_voice = fallback, fallback_voice
        self.name = primary.name
        self.notice: object | None = None  # the LoaxaError that made it fall back
        self.used: str | None = None
        self.switched_midway = False

    def synthesize(self, text: str, voice: str = "", rate_wpm: int = 150,
                   should_stop: object = None) -> Speech:
        from media.errors import Cancelled, LoaxaError

        if self.notice is None:
            try:
                speech = self.primary.synthesize(text, self.primary_voice, rate_wpm,
                                                 should_stop=should_stop)
                self.used = self.primary.name
                return speech
            except Cancelled:
                raise
            except LoaxaError as exc:
                self.notice = exc
                self.switched_midway = self.used is not None
        self.used = self.fallback.name
        return self.fallback.synthesize(text, self.fallback_voice, rate_wpm,
                                        should_stop=should_stop)

    @property
    def voice_used(self) -> str:
        if self.notice is not None:
            return self.fallback_voice
        # An engine that picks its voice itself (SAPI: "the first Vietnamese one") names it.
        return getattr(self.primary, "voice_used", None) or self.primary_voice
