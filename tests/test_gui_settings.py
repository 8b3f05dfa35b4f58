"""The Settings view, offscreen with pytest-qt: the round trip through settings.toml and the
database, refused values (nothing lost, nothing written), the background lists and tests, the
language, and the section slot for the Users page."""

from __future__ import annotations

import sys
from datetime import time

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel

from app.gui.tasks import TaskRunner
from app.gui.views.settings import SettingsDialog, SettingsView, parse_quiet_hours
from app.settings import load_settings
from media.errors import LoaxaError

PLAYBACKS = [{"name": "Loa ngoài USB (Realtek)", "is_default": False, "id": 1},
             {"name": "Tai nghe", "is_default": True, "id": 2}]


@pytest.fixture
def fake_miniaudio(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    import miniaudio

    playbacks = list(PLAYBACKS)

    class Devices:
        def __init__(self, backends=None) -> None:
            pass

        def get_playbacks(self) -> list[dict]:
            return playbacks

    monkeypatch.setattr(miniaudio, "Devices", Devices)
    return playbacks


@pytest.fixture
def view(qtbot, ctx, messages, fake_miniaudio):
    widget = SettingsView(ctx, TaskRunner())
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.device.count() == 3, timeout=10_000)
    yield widget
    widget.wait(30_000)


def test_devices_are_listed_through_miniaudio(view) -> None:
    labels = [view.device.itemText(n) for n in range(view.device.count())]
    assert labels == ["Thiết bị mặc định của Windows", "Loa ngoài USB (Realtek)",
                      "Tai nghe (mặc định)"]
    assert view.devices_result.text() == "Tìm thấy 2 thiết bị phát."
    assert not view.dirty  # listing is not an edit


def test_settings_round_trip(qtbot, view, ctx, messages) -> None:
    view.commune.setText("Xã Tân Lập")
    view.code.setText("24121")
    view.centre.setText("Trung tâm Văn hóa - Thể thao tỉnh")
    view.centre_url.setText("postgresql+psycopg://xa:mật-khẩu@10.0.0.5:5432/loaxa")
    view.engine.setCurrentIndex(view.engine.findData("gtts"))
    view.espeak_voice.setCurrentIndex(view.espeak_voice.findData("vi-vn-x-south"))
    view.rate.setValue(170)
    view.lufs.setText("-18,5")
    view.peak.setText("-2")
    view.device.setCurrentIndex(view.device.findData("Loa ngoài USB (Realtek)"))
    view.amp_on.setText('relay "COM3" on')
    view.amp_off.setText("relay COM3 off")
    view.amp_lead.setValue(20)
    view.amp_delay.setValue(45)
    view.quiet.setText("22:00-05:00; 12:00-13:30")
    assert view.dirty and view.state_label.text() == "Có thay đổi chưa áp dụng."
    assert view.apply() and messages == []

    stored = load_settings(ctx.paths.settings_file)
    assert (stored.tts_engine, stored.espeak_voice, stored.speech_rate_wpm) == \
        ("gtts", "vi-vn-x-south", 170)
    assert (stored.loudness_target_lufs, stored.true_peak_ceiling_dbtp) == (-18.5, -2.0)
    assert stored.output_device == "Loa ngoài USB (Realtek)"
    assert (stored.amplifier_on_command, stored.amplifier_off_command) == \
        ('relay "COM3" on', "relay COM3 off")
    assert (stored.amplifier_lead_seconds, stored.amplifier_off_delay_seconds) == (20, 45)
    assert stored.centre_database_url.endswith("@10.0.0.5:5432/loaxa")
    assert ctx.settings.loudness_target_lufs == -18.5  # the running app sees it too
    station = ctx.db.get_station()
    assert (station.commune_name, station.admin_code, station.centre_name) == \
        ("Xã Tân Lập", "24121", "Trung tâm Văn hóa - Thể thao tỉnh")
    assert ctx.db.quiet_hours() == [(time(22), time(5)), (time(12), time(13, 30))]

    again = SettingsView(ctx, TaskRunner())  # a fresh view shows what was stored
    qtbot.addWidget(again)
    assert again.lufs.text() == "-18,5" and again.quiet.text() == "22:00-05:00, 12:00-13:30"
    assert again.device.currentData() == "Loa ngoài USB (Realtek)"
    assert again.engine.currentData() == "gtts" and again.rate.value() == 170
    again.wait(10_000)


def test_invalid_loudness_is_refused_with_a_message(view, ctx, messages) -> None:
    before = ctx.paths.settings_file.read_bytes() if ctx.paths.settings_file.exists() else None
    view.commune.setText("Xã Mới")
    view.lufs.setText("-3")
    view.sections.setCurrentRow(0)
    assert not view.apply()
    assert messages[-1].startswith("Độ to mục tiêu “-3” không hợp lệ: cần một số từ -40 đến -6")
    assert view.pages.currentWidget() is view.loudness_page  # its section is shown
    assert view.lufs.text() == "-3" and view.commune.text() == "Xã Mới"  # nothing lost
    assert ctx.db.get_station().commune_name == ""  # nothing written
    after = ctx.paths.settings_file.read_bytes() if ctx.paths.settings_file.exists() else None
    assert after == before
    view.lufs.setText("mười sáu")
    assert not view.apply() and "“mười sáu”" in messages[-1]
    view.lufs.setText("-16")
    view.peak.setText("0,5")
    assert not view.apply() and messages[-1].startswith("Mức đỉnh tối đa “0,5”")
    view.peak.setText("-1,5")
    view.quiet.setText("22h-5h")
    assert not view.apply() and "22h" in messages[-1]
    assert view.pages.currentWidget() is view.quiet_page
    view.quiet.setText("")
    view.code.setText("XA-01")
    assert not view.apply() and "chỉ gồm chữ số" in messages[-1]
    view.code.setText("")
    view.amp_on.setText('relay "COM3 on')
    assert not view.apply() and "dấu ngoặc kép" in messages[-1]
    view.amp_on.setText("")
    view.centre_url.setText("không phải địa chỉ")
    assert not view.apply() and "không hợp lệ" in messages[-1]
    view.centre_url.setText("")
    assert view.apply()
    assert ctx.db.get_station().commune_name == "Xã Mới"


def test_revert_drops_edits_and_reload_keeps_them(view, ctx) -> None:
    ctx.db.set_station(commune_name="Xã Cũ")
    view.reload()
    assert view.commune.text() == "Xã Cũ"
    view.commune.setText("đang gõ")
    ctx.db.set_station(commune_name="Xã Khác")
    view.reload()  # the window refreshes: what is being typed stays
    assert view.commune.text() == "đang gõ"
    view.revert()
    assert view.commune.text() == "Xã Khác" and not view.dirty


def test_language_change_is_persisted(view, ctx, messages) -> None:
    view.language.setCurrentIndex(view.language.findData("en"))
    assert view.apply()
    assert load_settings(ctx.paths.settings_file).language == "en"
    assert messages[-1] == "Ngôn ngữ mới được áp dụng khi mở lại LoaXa."


def test_fingerprint_is_copied(view, ctx) -> None:
    assert view.fingerprint.text() == ctx.key.fingerprint
    view.copy_fingerprint()
    assert QGuiApplication.clipboard().text() == ctx.key.fingerprint


def test_centre_connection_test_runs_in_the_background(qtbot, view, tmp_path) -> None:
    from scheduler.persistence import Database

    url = "sqlite:///" + (tmp_path / "centre.db").as_posix()
    Database(url).upgrade()
    view.centre_url.setText(url)
    view.test_centre()
    qtbot.waitUntil(lambda: view.test_centre_button.isEnabled(), timeout=30_000)
    assert view.centre_result.text() == "Kết nối được cơ sở dữ liệu của trung tâm."
    empty = "sqlite:///" + (tmp_path / "trống.db").as_posix()
    view.centre_url.setText(empty)
    view.test_centre()
    qtbot.waitUntil(lambda: view.test_centre_button.isEnabled(), timeout=30_000)
    assert "chưa phải cơ sở dữ liệu trung tâm" in view.centre_result.text()


def test_amplifier_commands_are_tried(qtbot, view) -> None:
    python = sys.executable
    view.amp_on.setText(f'"{python}" -c "pass"')
    view.amp_off.setText(f'"{python}" -c "import sys; print(\'rơ-le hỏng\'); sys.exit(3)"')
    view.test_amplifier(on=True)
    qtbot.waitUntil(lambda: view.amp_result.text() not in ("", "Đang kiểm tra…"),
                    timeout=30_000)
    assert view.amp_result.text() == "Lệnh chạy được."
    view.test_amplifier(on=False)
    qtbot.waitUntil(lambda: view.amp_result.text().startswith("Lệnh bị lỗi"), timeout=30_000)
    assert "exit 3: rơ-le hỏng" in view.amp_result.text()


def test_windows_voices_are_listed(qtbot, view, monkeypatch) -> None:
    from media.tts import sapi

    voices = [sapi.VoiceInfo("HKLM\\…\\viVN_An", "Microsoft An", ("vi-VN",))]
    monkeypatch.setattr(sapi.SapiEngine, "list_voices", lambda self: voices)
    view.engine.setCurrentIndex(view.engine.findData("sapi"))
    assert view.find_voices_button.isEnabled()
    view.list_voices()
    qtbot.waitUntil(lambda: view.sapi_voice.count() == 2, timeout=10_000)
    assert view.voices_result.text() == "Có 1 giọng tiếng Việt trong Windows."
    view.sapi_voice.setCurrentIndex(1)
    assert view._sapi_choice() == "Microsoft An"
    view.sapi_voice.setCurrentIndex(0)
    assert view._sapi_choice() == ""  # the first Vietnamese voice

    def missing(self):
        raise LoaxaError("sapi_missing", reason="pyttsx3 không có")

    monkeypatch.setattr(sapi.SapiEngine, "list_voices", missing)
    view.list_voices()
    qtbot.waitUntil(lambda: "pyttsx3 không có" in view.voices_result.text(), timeout=10_000)


def test_a_users_section_plugs_in(view) -> None:
    page = QLabel("users")
    index = view.add_section("Người dùng", page)
    assert view.section_titles()[index] == "Người dùng"
    view.show_section(index)
    assert view.pages.currentWidget() is page


def test_dialog_ok_applies_and_cancel_drops(qtbot, ctx, messages, fake_miniaudio) -> None:
    dialog = SettingsDialog(ctx, TaskRunner())
    qtbot.addWidget(dialog)
    dialog.view.commune.setText("Xã Hộp Thoại")
    dialog.view.lufs.setText("5")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and "LUFS" in messages[-1]
    dialog.view.lufs.setText("-16")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ctx.db.get_station().commune_name == "Xã Hộp Thoại"
    other = SettingsDialog(ctx, TaskRunner())
    qtbot.addWidget(other)
    other.view.commune.setText("không lưu")
    other.reject()
    assert ctx.db.get_station().commune_name == "Xã Hộp Thoại"
    dialog.view.wait(10_000)
    other.view.wait(10_000)


def test_quiet_hours_parse() -> None:
    assert parse_quiet_hours(" 22:00–05:00 ,\n12:00-13:30 ") == \
        [(time(22), time(5)), (time(12), time(13, 30))]
    assert parse_quiet_hours("") == []
    for bad in ("22:00", "25:00-05:00", "22:00-22:00", "7:5-8:00"):
        with pytest.raises(LoaxaError):
            parse_quiet_hours(bad)

