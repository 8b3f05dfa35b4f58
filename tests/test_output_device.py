"""The setting ``output_device``: the player lists the outputs and opens the one named, or
the default when the name is empty or not there (miniaudio monkeypatched)."""

from __future__ import annotations

import pytest

from app.settings import Settings, load_settings, save_settings
from media.errors import LoaxaError
from scheduler import player
from scheduler.player import MiniaudioPlayer, OutputDevice, list_output_devices

USB_ID, HEADSET_ID = object(), object()


@pytest.fixture
def playbacks(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    found = [{"name": "Loa ngoài USB", "is_default": False, "id": USB_ID},
             {"name": "Tai nghe", "is_default": True, "id": HEADSET_ID}]
    monkeypatch.setattr(player, "_playbacks", lambda: found)
    return found


def test_outputs_are_listed_with_the_default_flagged(playbacks) -> None:
    assert list_output_devices() == [OutputDevice("Loa ngoài USB", False),
                                     OutputDevice("Tai nghe", True)]


def test_listing_failure_is_a_clear_error(monkeypatch) -> None:
    def broken() -> list[dict]:
        raise RuntimeError("no backend")

    monkeypatch.setattr(player, "_playbacks", broken)
    with pytest.raises(LoaxaError) as info:
        list_output_devices()
    assert info.value.code == "output_list_failed" and "no backend" in info.value.params[
        "reason"]


def test_the_named_output_is_opened_else_the_default(playbacks, monkeypatch) -> None:
    assert player._device_id("Loa ngoài USB") is USB_ID
    assert player._device_id("") is None  # the default output
    assert player._device_id("Loa đã rút") is None  # gone: the default, with a warning
    opened: list[object] = []

    class Device:
        def __init__(self, **kwargs) -> None:
            opened.append(kwargs["device_id"])

    import miniaudio

    monkeypatch.setattr(miniaudio, "PlaybackDevice", Device)
    player._miniaudio_device(40, False, "Loa ngoài USB")
    player._miniaudio_device(40, False, "")
    assert opened == [USB_ID, None]


def test_output_name_reports_the_chosen_output(playbacks) -> None:
    assert MiniaudioPlayer(device_name="Loa ngoài USB").output_name() == "Loa ngoài USB"
    assert MiniaudioPlayer().output_name() == "Tai nghe"
    assert MiniaudioPlayer(device_name="Loa đã rút").output_name() == "Tai nghe"
    playbacks.clear()
    assert MiniaudioPlayer(device_name="Loa ngoài USB").output_name() is None


def test_the_setting_round_trips(tmp_path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(Settings(output_device="  Loa ngoài USB  "), path)
    assert load_settings(path).output_device == "Loa ngoài USB"
    assert Settings().output_device == ""
