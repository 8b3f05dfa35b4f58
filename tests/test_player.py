"""MiniaudioPlayer with fake devices: where the first sample lands, stop, a lost or absent
device. The device callback is driven by the test with chosen pull timestamps."""

from __future__ import annotations

import array
import threading
import time
from collections.abc import Generator
from pathlib import Path

import pytest

from media.errors import LoaxaError
from scheduler.player import (
    FRAME_BYTES,
    SAMPLE_RATE,
    Clip,
    MiniaudioPlayer,
    PlayResult,
    StreamClock,
)

PERIOD = 882  # frames per pull (20 ms)
T0 = 1_800_000_000.0  # epoch second of frame 0's pull


class FakeDevice:
    """Stands for miniaudio's PlaybackDevice: keeps the callback generator for the test."""

    def __init__(self, buffer_ms: int) -> None:
        self.buffer_ms = buffer_ms
        self.generator = None
        self.closed = False

    def start(self, generator: Generator) -> None:
        self.generator = generator

    def close(self) -> None:
        self.closed = True


class Driver:
    """Pulls from the player's callback like a device would, at fake wall-clock times."""

    def __init__(self, latency_ms: float = 24.0) -> None:
        self.t = T0
        self.devices: list[FakeDevice] = []
        self.player = MiniaudioPlayer(latency_ms=latency_ms, device_factory=self._factory,
                                      now=lambda: self.t)
        self.out = bytearray()
        self.position = 0

    def _factory(self, buffer_ms: int) -> FakeDevice:
        self.devices.append(FakeDevice(buffer_ms))
        return self.devices[-1]

    def pull(self, late_s: float = 0.0) -> None:
        self.t = T0 + self.position / SAMPLE_RATE + late_s
        chunk = self.devices[-1].generator.send(PERIOD)
        data = bytes(chunk)
        assert len(data) <= PERIOD * FRAME_BYTES
        self.out += data + bytes(PERIOD * FRAME_BYTES - len(data))  # the device pre-zeroes
        self.position += PERIOD

    def first_sound(self) -> int | None:
        samples = array.array("h", bytes(self.out))
        for i, value in enumerate(samples):
            if value:
                return i // 2
        return None


def _clip(seconds: float = 0.5, value: int = 1000) -> Clip:
    frames = int(seconds * SAMPLE_RATE)
    return Clip(Path("tone.wav"), array.array("h", [value, -value] * frames).tobytes())


def _play_in_thread(driver: Driver, clip: Clip, stop: threading.Event,
                    start_at: float | None) -> tuple[threading.Thread, list]:
    box: list = []
    started: list[float] = []
    thread = threading.Thread(target=lambda: box.append(driver.player.play(
        clip, stop, on_start=lambda: started.append(driver.t), start_at=start_at)))
    thread.start()
    deadline = time.monotonic() + 5
    while driver.player._feed is None:  # the clip is armed: the next pulls may carry it
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.001)
    box.append(started)
    return thread, box


def _run(driver: Driver, clip: Clip, start_at: float | None, pulls: int,
         late: dict[int, float] | None = None) -> PlayResult:
    stop = threading.Event()
    thread, box = _play_in_thread(driver, clip, stop, start_at)
    for k in range(pulls):
        driver.pull((late or {}).get(k, 0.0))
    thread.join(10)
    assert not thread.is_alive()
    return box[1]


def test_the_first_sample_lands_on_the_frame_that_sounds_at_start_at() -> None:
    driver = Driver(latency_ms=24.0)
    driver.player.open()
    for _ in range(20):
        driver.pull()
    start_at = T0 + 1.0
    clip = _clip(0.2)
    result = _run(driver, clip, start_at, pulls=70)
    expected = round((start_at - 0.024 - T0) * SAMPLE_RATE)
    assert driver.first_sound() == expected
    start = expected * FRAME_BYTES
    assert bytes(driver.out[start:start + len(clip.pcm)]) == clip.pcm  # whole, in order
    assert result.completed and result.played_s == pytest.approx(clip.duration_s)


def test_late_wakeups_do_not_move_the_start() -> None:
    driver = Driver(latency_ms=24.0)
    driver.player.open()
    # A third of the pulls come 3–9 ms late (a busy machine); the median ignores them.
    for k in range(30):
        driver.pull(late_s=0.003 * (k % 3 + 1) if k % 3 == 0 else 0.0)
    start_at = T0 + 1.2
    _run(driver, _clip(0.1), start_at, pulls=70, late={k: 0.008 for k in range(0, 70, 4)})
    assert driver.first_sound() == round((start_at - 0.024 - T0) * SAMPLE_RATE)


def test_latency_shifts_the_start_earlier_in_the_stream() -> None:
    firsts = []
    for latency_ms in (10.0, 60.0):
        driver = Driver(latency_ms=latency_ms)
        driver.player.open()
        for _ in range(10):
            driver.pull()
        _run(driver, _clip(0.1), T0 + 0.8, pulls=50)
        firsts.append(driver.first_sound())
    assert firsts[0] - firsts[1] == round(0.050 * SAMPLE_RATE)


def test_a_start_already_past_plays_at_the_next_pull() -> None:
    driver = Driver()
    driver.player.open()
    for _ in range(10):
        driver.pull()
    armed_at = driver.position
    _run(driver, _clip(0.1), T0 - 5.0, pulls=20)
    assert driver.first_sound() == armed_at


def test_without_start_at_it_plays_at_the_next_pull() -> None:
    driver = Driver()
    driver.player.open()
    for _ in range(3):
        driver.pull()
    armed_at = driver.position
    stop = threading.Event()
    thread, box = _play_in_thread(driver, _clip(0.1), stop, None)
    for _ in range(20):
        driver.pull()
    thread.join(10)
    assert driver.first_sound() == armed_at
    assert len(box[0]) == 1  # on_start once


def test_stop_before_the_start_plays_nothing() -> None:
    driver = Driver()
    driver.player.open()
    for _ in range(10):
        driver.pull()
    stop = threading.Event()
    thread, box = _play_in_thread(driver, _clip(0.1), stop, T0 + 3.0)
    driver.pull()
    stop.set()
    thread.join(10)
    for _ in range(200):
        driver.pull()
    result = box[1]
    assert result == PlayResult(False, 0.0, "stopped")
    assert box[0] == []  # on_start was not called
    assert driver.first_sound() is None


def test_a_device_that_stops_pulling_is_output_lost_and_closed() -> None:
    driver = Driver()
    driver.player.STALL_S = 0.2
    driver.player.open()
    for _ in range(10):
        driver.pull()
    stop = threading.Event()
    thread, box = _play_in_thread(driver, _clip(1.0), stop, None)
    for _ in range(5):
        driver.pull()
    thread.join(10)  # no more pulls: the output is gone
    result = box[1]
    assert not result.completed and result.reason == "output_lost"
    assert result.played_s == pytest.approx(5 * PERIOD / SAMPLE_RATE)
    assert driver.devices[0].closed
    driver.player.open()  # the next play opens a new device
    assert len(driver.devices) == 2


def test_a_device_that_cannot_be_opened_is_a_clear_error() -> None:
    def broken(buffer_ms: int) -> FakeDevice:
        raise RuntimeError("failed to init device")

    player = MiniaudioPlayer(device_factory=broken)
    with pytest.raises(LoaxaError) as caught:
        player.play(_clip(0.1), threading.Event())
    assert caught.value.code == "output_open_failed"
    assert "failed to init device" in caught.value.params["reason"]


def test_warm_waits_for_the_stream_clock() -> None:
    driver = Driver()
    assert not driver.player.is_warm
    driver.player.open()
    assert not driver.player.is_warm and not driver.player.warm(timeout_s=0.05)
    for _ in range(5):
        driver.pull()
    assert driver.player.is_warm and driver.player.warm(timeout_s=0.05)
    driver.player.close()
    assert not driver.player.is_warm and driver.devices[0].closed


def test_stream_clock_skips_the_prefill_and_follows_an_underrun() -> None:
    clock = StreamClock(SAMPLE_RATE, window=8, skip=2, needed=3)
    clock.pull(100.0, 0)
    clock.pull(100.001, PERIOD)  # buffer prefill: far ahead of real time
    assert not clock.ready
    for k in range(2, 5):
        clock.pull(100.0 + k * PERIOD / SAMPLE_RATE + 0.010, k * PERIOD)
    assert clock.ready
    assert clock.anchor() == pytest.approx(100.010)
    assert clock.frame_at(101.010, latency_s=0.0) == SAMPLE_RATE
    # The device played 50 ms of its own silence: the stream is now 50 ms later.
    for k in range(5, 13):
        clock.pull(100.0 + k * PERIOD / SAMPLE_RATE + 0.060, k * PERIOD)
    assert clock.anchor() == pytest.approx(100.060)
