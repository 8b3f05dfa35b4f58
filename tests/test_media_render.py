"""The offline voice and the encoder, for real (espeak-ng library, bundled ffmpeg)."""

from __future__ import annotations

import array
import wave
from pathlib import Path

import pytest

from media.audio import decode_pcm, ffmpeg_exe
from media.errors import Cancelled, LoaxaError
from media.render import RenderOptions, render_text, speech_chunks
from media.tts.espeak import EspeakEngine

SENTENCE = "Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em."


def test_ffmpeg_is_the_bundled_one_not_path() -> None:
    import imageio_ffmpeg

    assert ffmpeg_exe() == imageio_ffmpeg.get_ffmpeg_exe()


def test_espeak_speaks_vietnamese() -> None:
    speech = EspeakEngine().synthesize(SENTENCE, "vi", 150)
    assert speech.sample_rate == 22050
    assert 2.0 < speech.duration_s < 10.0
    samples = array.array("h", speech.pcm)
    assert max(abs(s) for s in samples) > 3000  # real speech, not silence


def test_espeak_rate_changes_length() -> None:
    slow = EspeakEngine().synthesize(SENTENCE, "vi", 110).duration_s
    fast = EspeakEngine().synthesize(SENTENCE, "vi", 220).duration_s
    assert fast < slow * 0.75


def test_unknown_voice_is_refused() -> None:
    with pytest.raises(LoaxaError, match="voice_unknown"):
        EspeakEngine().synthesize(SENTENCE, "xx-not-a-voice", 150)


@pytest.mark.parametrize("suffix", [".mp3", ".wav"])
def test_render_makes_a_playable_file_of_the_right_length(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"bản tin{suffix}"  # a Vietnamese file name, as on Windows
    steps = []
    result = render_text(SENTENCE + "\n\n" + SENTENCE, out,
                         RenderOptions(lead_ms=500, tail_ms=1000),
                         progress=lambda done, total: steps.append((done, total)))
    assert out.is_file() and result.path == out
    assert steps[-1] == (3, 3) and len(steps) == 3
    pcm = decode_pcm(out, 44100, 1)
    decoded_s = len(pcm) / 2 / 44100
    assert abs(decoded_s - result.duration_s) < 0.1
    assert result.duration_s > 1.5 + 2 * 2.0  # padding + two sentences
    if suffix == ".wav":
        with wave.open(str(out)) as w:
            assert (w.getframerate(), w.getnchannels()) == (44100, 1)


def test_render_refuses_unknown_format_and_empty_text(tmp_path: Path) -> None:
    with pytest.raises(LoaxaError, match="audio_format_unsupported"):
        render_text(SENTENCE, tmp_path / "x.flac")
    with pytest.raises(LoaxaError, match="text_empty"):
        render_text(" \n 📢 \n", tmp_path / "x.mp3")
    assert list(tmp_path.iterdir()) == []


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "x.mp3"
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        render_text("\n".join([SENTENCE] * 5), out, should_stop=stop)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(LoaxaError, match="file_unwritable"):
        render_text(SENTENCE, blocker / "out.mp3")


def test_corrupt_and_missing_audio_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3" + bytes(range(256)) * 20)
    with pytest.raises(LoaxaError, match="audio_corrupt"):
        decode_pcm(broken, 44100, 2)
    with pytest.raises(LoaxaError, match="audio_missing"):
        decode_pcm(tmp_path / "none.mp3", 44100, 2)


def test_long_paragraphs_are_cut_at_sentence_ends() -> None:
    paragraph = " ".join(f"Câu số {n} của bản tin dài." for n in range(100))
    chunks = speech_chunks(paragraph)
    assert len(chunks) > 1
    assert all(len(c) <= 600 for c in chunks)
    assert all(c.endswith(".") for c in chunks)
    assert " ".join(chunks) == paragraph


class _ResampledVoice:
    """espeak-ng's speech handed over at another rate (as the online voice's 24 kHz, or an
    engine at 11,025 Hz, which has no whole 100 ms and is worked on at 44.1 kHz)."""

    name = "test-voice"

    def __init__(self, rate: int) -> None:
        self.rate = rate

    def synthesize(self, text: str, voice: str = "vi", rate_wpm: int = 150,
                   should_stop: object = None):
        from media.loudness import from_pcm16, to_pcm16
        from media.program import resample
        from media.tts import Speech

        speech = EspeakEngine().synthesize(text, "vi", rate_wpm)
        signal = resample(from_pcm16(speech.pcm), speech.sample_rate, self.rate)
        return Speech(to_pcm16(signal), self.rate)


@pytest.mark.parametrize("rate", [24000, 11025, 44100])
def test_any_voice_rate_gives_a_program_at_44k_on_target(tmp_path: Path, rate: int) -> None:
    from media import loudness

    out = tmp_path / "x.wav"
    result = render_text(SENTENCE + "\n" + SENTENCE, out, engine=_ResampledVoice(rate))
    with wave.open(str(out)) as w:
        assert (w.getframerate(), w.getnchannels()) == (44100, 1)
    signal = loudness.from_pcm16(decode_pcm(out, 44100, 1))
    measured = loudness.integrated_lufs(signal, 44100)
    assert abs(measured + 16) <= 0.5 and abs(result.lufs - measured) <= 0.1
    assert loudness.true_peak_dbfs(signal) <= -1.5
    assert abs(signal.size / 44100 - result.duration_s) < 0.05


def test_cancel_while_encoding_leaves_no_file(tmp_path: Path, monkeypatch) -> None:
    import media.program

    started: list[object] = []

    class Watched(media.program.Encoder):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(media.program, "Encoder", Watched)
    out = tmp_path / "x.mp3"

    def stop() -> bool:  # once the encoder runs, stop at the next check
        return bool(started)

    with pytest.raises(Cancelled):
        render_text("\n".join([SENTENCE] * 3), out, should_stop=stop)
    assert started and list(tmp_path.iterdir()) == []
