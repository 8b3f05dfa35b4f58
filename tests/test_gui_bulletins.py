"""The Bulletins view, offscreen with pytest-qt: the library, the editor and its spoken-form
preview, import, render with progress and cancel, the waveform and the preview playback."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.gui import bulletin_editor as editor_module
from app.gui.bulletin_editor import BulletinEditor, LexiconDialog
from app.gui.bulletin_model import AudioState, Column, Validity
from app.gui.tasks import TaskRunner
from app.gui.views.bulletins import BulletinsView
from scheduler.player import MiniaudioPlayer
from scheduler.records import Level
from scheduler.timeutil import to_local, utc_now
from tests.test_bulletin_text import make_docx, para, t

TEXT = "Thực hiện Chỉ thị 07/CT-TTg, xã tổ chức tiêm chủng đợt 2 cho trẻ em."
LONG = "\n\n".join(f"Đoạn {n}: thôn Đông tổ chức tổng vệ sinh môi trường vào sáng Chủ nhật."
                   for n in range(1, 60))


@pytest.fixture
def view(qtbot, ctx, messages):
    runner = TaskRunner()
    v = BulletinsView(ctx, runner)
    qtbot.addWidget(v)
    v.show()
    reload(qtbot, v)
    yield v
    v.shutdown()
    runner.cancel_all()
    runner.wait(30_000)


def settle(qtbot, view: BulletinsView) -> None:
    """Waits until the view's rows (read off the GUI thread) are shown."""
    qtbot.waitUntil(lambda: not view.reloading, timeout=10_000)


def reload(qtbot, view: BulletinsView) -> None:
    view.reload()
    settle(qtbot, view)


def fill_editor(monkeypatch, fill) -> list[BulletinEditor]:
    """Makes BulletinEditor.exec run ``fill(editor)`` then press Save."""
    opened: list[BulletinEditor] = []

    def exec_(editor: BulletinEditor) -> int:
        opened.append(editor)
        fill(editor)
        editor.accept()
        return editor.result()

    monkeypatch.setattr(BulletinEditor, "exec", exec_)
    return opened


def wait_preview(qtbot, editor: BulletinEditor) -> None:
    qtbot.waitUntil(lambda: not editor.preview_pending, timeout=10_000)


def test_create_a_bulletin_in_the_editor(qtbot, view, ctx, monkeypatch, messages) -> None:
    def fill(e: BulletinEditor) -> None:
        e.title_edit.setText("Lịch tiêm chủng")
        e.text_edit.setPlainText(TEXT)
        e.level_box.setCurrentIndex(list(Level).index(Level.PRIORITY))
        e.category_box.setCurrentText("Tiêm chủng")
        e.document_edit.setText("07/CT-TTg")
        e.issuer_edit.setText("Thủ tướng Chính phủ")
        e.valid_from.set_value(date(2026, 11, 1))
        e.valid_until.set_value(date(2026, 12, 31))

    fill_editor(monkeypatch, fill)
    bulletin_id = view.new_bulletin()
    settle(qtbot, view)
    assert bulletin_id is not None and messages == []
    b = ctx.db.get_bulletin(bulletin_id)
    assert (b.title, b.body, b.level, b.category, b.document_ref, b.issuing_body,
            b.valid_from, b.valid_until) == (
        "Lịch tiêm chủng", TEXT, Level.PRIORITY, "Tiêm chủng", "07/CT-TTg",
        "Thủ tướng Chính phủ", date(2026, 11, 1), date(2026, 12, 31))
    assert view.selected_id() == bulletin_id
    assert view.visible_titles() == ["Lịch tiêm chủng"]
    row = view.proxy.index(0, Column.VALIDITY).data()
    assert row.startswith("01/11/2026 – 31/12/2026")


def test_editor_refuses_a_missing_title_or_text_and_bad_dates(qtbot, ctx, messages) -> None:
    editor = BulletinEditor(ctx, ["Tiêm chủng"])
    qtbot.addWidget(editor)
    editor.text_edit.setPlainText(TEXT)
    assert editor.save() is None and messages[-1] == "Hãy nhập tiêu đề bản tin."
    editor.title_edit.setText("Tin")
    editor.text_edit.setPlainText("   ")
    assert editor.save() is None and messages[-1] == "Văn bản trống: không có gì để đọc."
    editor.text_edit.setPlainText(TEXT)
    editor.valid_from.set_value(date(2026, 12, 2))
    editor.valid_until.set_value(date(2026, 12, 1))
    assert editor.save() is None and "02/12/2026" in messages[-1]
    assert ctx.db.count_bulletins() == 0


def test_editing_keeps_the_bulletin_and_a_new_text_makes_a_new_one(qtbot, view, ctx,
                                                                   monkeypatch) -> None:
    old = ctx.db.add_bulletin("Họp dân", TEXT)
    reload(qtbot, view)
    assert view.select(old)
    fill_editor(monkeypatch, lambda e: e.title_edit.setText("Họp dân thôn Đông"))
    assert view.edit_selected() == old
    settle(qtbot, view)
    assert ctx.db.get_bulletin(old).title == "Họp dân thôn Đông"
    monkeypatch.setattr(editor_module, "confirm", lambda _parent, _text: True)
    fill_editor(monkeypatch, lambda e: e.text_edit.setPlainText(TEXT + " Mang theo sổ."))
    new = view.edit_selected()
    settle(qtbot, view)
    assert new not in (None, old)
    assert ctx.db.get_bulletin(old).body == TEXT  # as aired and logged
    assert ctx.db.get_bulletin(new).body == TEXT + " Mang theo sổ."
    assert view.selected_id() == new


def test_search_is_accent_insensitive_and_filters_combine(qtbot, view, ctx) -> None:
    today = to_local(utc_now()).date()
    db = ctx.db
    db.add_bulletin("Lịch tiêm chủng", TEXT, category="Tiêm chủng", document_ref="07/CT-TTg",
                    issuing_body="Thủ tướng Chính phủ", level=Level.PRIORITY,
                    valid_from=today - timedelta(days=1), valid_until=today + timedelta(days=5))
    db.add_bulletin("Phòng chống bão", "Bão số 3 đổ bộ.", category="Phòng chống thiên tai",
                    issuing_body="UBND tỉnh", level=Level.EMERGENCY,
                    valid_until=today - timedelta(days=1))
    db.add_bulletin("Bầu cử", "Ngày bầu cử đại biểu Quốc hội.", category="Bầu cử",
                    document_ref="45/2019/QH14", issuing_body="Quốc hội",
                    valid_from=today + timedelta(days=10))
    db.add_bulletin("Thông báo thôn", "Họp thôn lúc 19h.")
    reload(qtbot, view)
    assert len(view.visible_titles()) == 4

    view.search.setText("tiem chung")  # no accents finds "tiêm chủng" (title and body)
    assert view.visible_titles() == ["Lịch tiêm chủng"]
    view.search.setText("BAO SO 3")
    assert view.visible_titles() == ["Phòng chống bão"]
    view.search.setText("đại biểu quoc hoi")
    assert view.visible_titles() == ["Bầu cử"]
    view.search.clear()

    def choose(box, value) -> None:
        box.setCurrentIndex(box.findData(value))

    choose(view.level_filter, "emergency")
    assert view.visible_titles() == ["Phòng chống bão"]
    choose(view.level_filter, None)
    choose(view.category_filter, "Bầu cử")
    assert view.visible_titles() == ["Bầu cử"]
    choose(view.category_filter, None)
    view.document_filter.setText("ct-ttg")
    assert view.visible_titles() == ["Lịch tiêm chủng"]
    view.document_filter.clear()
    choose(view.issuer_filter, "UBND tỉnh")
    assert view.visible_titles() == ["Phòng chống bão"]
    choose(view.issuer_filter, None)
    choose(view.validity_filter, Validity.EXPIRED.value)
    assert view.visible_titles() == ["Phòng chống bão"]
    choose(view.validity_filter, Validity.UPCOMING.value)
    assert view.visible_titles() == ["Bầu cử"]
    choose(view.validity_filter, Validity.VALID.value)
    assert sorted(view.visible_titles()) == ["Lịch tiêm chủng", "Thông báo thôn"]
    choose(view.audio_filter, AudioState.NONE.value)
    assert sorted(view.visible_titles()) == ["Lịch tiêm chủng", "Thông báo thôn"]
    choose(view.audio_filter, AudioState.CURRENT.value)
    assert view.visible_titles() == []
    assert view.count_label.text() == "Hiển thị 0 / 4 bản tin"
    view.clear_filters()
    assert len(view.visible_titles()) == 4
    # the shipped policy areas are offered even before any bulletin uses them
    assert view.category_filter.findData("An toàn giao thông") > 0


def test_selection_survives_a_reload(qtbot, view, ctx) -> None:
    first = ctx.db.add_bulletin("Một", TEXT)
    ctx.db.add_bulletin("Hai", TEXT)
    reload(qtbot, view)
    assert view.select(first)
    reload(qtbot, view)  # nothing changed
    assert view.selected_id() == first
    ctx.db.add_bulletin("Ba", TEXT)  # rows change: the model is reset, the selection kept
    reload(qtbot, view)
    assert view.selected_id() == first
    assert view.visible_titles() == ["Ba", "Hai", "Một"]


def test_sorting_by_a_column_keeps_the_selection(qtbot, view, ctx) -> None:
    ids = {title: ctx.db.add_bulletin(title, TEXT, level=level) for title, level in (
        ("Bão", Level.EMERGENCY), ("An toàn giao thông", Level.NORMAL),
        ("Cấp nước", Level.PRIORITY))}
    reload(qtbot, view)
    assert view.visible_titles() == ["Cấp nước", "An toàn giao thông", "Bão"]  # newest first
    view.select(ids["Bão"])
    view.table.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    assert view.visible_titles() == ["An toàn giao thông", "Bão", "Cấp nước"]
    assert view.selected_id() == ids["Bão"]
    view.table.sortByColumn(Column.LEVEL, Qt.SortOrder.DescendingOrder)
    assert view.visible_titles() == ["Bão", "Cấp nước", "An toàn giao thông"]
    ctx.db.add_bulletin("Dân số", TEXT)
    reload(qtbot, view)  # new rows arrive in the chosen order (ties: newest first)
    assert view.visible_titles() == ["Bão", "Cấp nước", "Dân số", "An toàn giao thông"]
    assert view.selected_id() == ids["Bão"]


def test_keyboard_search_and_enter(qtbot, view, ctx, monkeypatch) -> None:
    b = ctx.db.add_bulletin("Một", TEXT)
    reload(qtbot, view)
    view.select(b)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    opened = fill_editor(monkeypatch, lambda e: None)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert len(opened) == 1 and opened[0].bulletin is not None and opened[0].bulletin.id == b
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 2 and opened[1].bulletin is None  # Ctrl+N: a new bulletin


def test_ctrl_r_renders_the_selected_bulletin(qtbot, view, ctx, messages) -> None:
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert view.task is None and not view.act_render.isEnabled()  # nothing selected
    b = ctx.db.add_bulletin("Dài", LONG)
    reload(qtbot, view)
    view.select(b)
    assert view.act_render.isEnabled()
    qtbot.keyClick(view.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert view.task is not None and view.progress.isVisible()
    view.cancel_render()
    qtbot.waitUntil(lambda: view.task is None, timeout=60_000)
    assert messages == []


def test_import_txt_and_docx_and_refuse_a_broken_docx(qtbot, view, ctx, tmp_path, monkeypatch,
                                                       messages) -> None:
    txt = tmp_path / "tiêm chủng.txt"
    txt.write_text("Lịch tiêm chủng tháng 12\nTiêm tại trạm y tế xã.\n", encoding="utf-8-sig")
    fill_editor(monkeypatch, lambda e: None)
    first = view.import_path(txt)
    b = ctx.db.get_bulletin(first)
    assert (b.title, b.source_name) == ("Lịch tiêm chủng tháng 12", "tiêm chủng.txt")
    assert b.body == "Lịch tiêm chủng tháng 12\nTiêm tại trạm y tế xã."

    docx = make_docx(tmp_path / "bão.docx", para(t("Cảnh báo bão số 3")) + para(
        t("Người dân"), "<w:tab/>", t("chằng chống nhà cửa.")))
    second = view.import_path(docx)
    b = ctx.db.get_bulletin(second)
    assert (b.title, b.body) == ("Cảnh báo bão số 3",
                                 "Cảnh báo bão số 3\nNgười dân\tchằng chống nhà cửa.")
    assert messages == []

    broken = tmp_path / "hỏng.docx"
    broken.write_bytes(docx.read_bytes()[:200])
    assert view.import_path(broken) is None
    assert "bị hỏng hoặc không phải tệp Word .docx" in messages[-1]
    old = tmp_path / "cũ.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert view.import_path(old) is None
    assert "lưu thành .docx" in messages[-1]
    assert ctx.db.count_bulletins() == 2


def test_preview_highlights_the_expansion_of_a_legal_reference(qtbot, ctx) -> None:
    editor = BulletinEditor(ctx, [])
    qtbot.addWidget(editor)
    editor.text_edit.setPlainText("Thực hiện 07/CT-TTg về tiêm chủng.")
    wait_preview(qtbot, editor)
    assert editor.spoken_view.toPlainText() == \
        "Thực hiện chỉ thị số bảy của Thủ tướng Chính phủ về tiêm chủng."
    assert editor.highlighted_spoken() == ["chỉ thị số bảy của Thủ tướng Chính phủ"]
    shown = [s.cursor.selectedText() for s in editor.spoken_view.extraSelections()]
    assert shown == ["chỉ thị số bảy của Thủ tướng Chính phủ"]
    source = [s.cursor.selectedText() for s in editor.text_edit.extraSelections()]
    assert source == ["07/CT-TTg"]
    assert editor.expansion_label.text() == "1 chỗ được đọc khác chữ viết"
    # typing updates it (debounced)
    editor.text_edit.setPlainText("UBND xã thông báo.")
    assert editor.preview_pending
    wait_preview(qtbot, editor)
    assert editor.highlighted_spoken() == ["Ủy ban nhân dân"]


def test_preview_offsets_survive_characters_outside_the_bmp(qtbot, ctx) -> None:
    editor = BulletinEditor(ctx, [])
    qtbot.addWidget(editor)
    editor.text_edit.setPlainText("📢 UBND xã thông báo.")
    wait_preview(qtbot, editor)
    assert [s.cursor.selectedText() for s in editor.text_edit.extraSelections()] == ["UBND"]


def test_add_to_lexicon_changes_the_preview(qtbot, ctx, monkeypatch, messages) -> None:
    editor = BulletinEditor(ctx, [])
    qtbot.addWidget(editor)
    editor.text_edit.setPlainText("Họp tại bản Pa Cheo lúc 8h.")
    wait_preview(qtbot, editor)
    assert "Pa Cheo" in editor.spoken_view.toPlainText()
    assert not editor.add_to_lexicon()  # nothing selected: says what to do
    assert messages[-1].startswith("Hãy bôi đen")

    cursor = editor.text_edit.textCursor()
    start = editor.text_edit.toPlainText().index("Pa Cheo")
    cursor.setPosition(start)
    cursor.setPosition(start + len("Pa Cheo"), cursor.MoveMode.KeepAnchor)
    editor.text_edit.setTextCursor(cursor)
    seen: list[tuple[str, str]] = []

    def exec_(dialog: LexiconDialog) -> int:
        seen.append(dialog.values())
        dialog.spoken.setText("Pa Chéo")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LexiconDialog, "exec", exec_)
    assert editor.add_to_lexicon()
    assert seen == [("Pa Cheo", "Pa Cheo")]  # proposed: the word as read now
    assert ctx.paths.lexicon_file.read_text(encoding="utf-8") == "Pa Cheo\tPa Chéo\n"
    wait_preview(qtbot, editor)
    assert editor.spoken_view.toPlainText() == "Họp tại bản Pa Chéo lúc tám giờ."
    assert "Chéo" in editor.highlighted_spoken()


def test_render_with_progress_then_waveform(qtbot, view, ctx) -> None:
    b = ctx.db.add_bulletin("Vệ sinh", "Thôn Đông tổng vệ sinh.\n\nSáng Chủ nhật, 7h.")
    reload(qtbot, view)
    view.select(b)
    progress: list[tuple[int, int]] = []
    task = view.render_selected()
    assert task is not None
    task.signals.progress.connect(lambda done, total: progress.append((done, total)))
    assert view.progress.isVisible() and view.cancel_button.isVisible()
    qtbot.waitUntil(lambda: view.task is None, timeout=90_000)
    settle(qtbot, view)
    assert not view.progress.isVisible()
    assert progress and progress[-1][0] == progress[-1][1]
    qtbot.waitUntil(lambda: not view.audio_pending, timeout=10_000)
    assert view.model.rows[0].audio is AudioState.CURRENT
    assert "giây" in view.proxy.index(0, Column.AUDIO).data()
    asset = ctx.db.get_bulletin(b).audio
    qtbot.waitUntil(lambda: view.waveform.peaks.size > 0, timeout=30_000)
    assert 0 < float(view.waveform.peaks.max()) <= 1
    assert (ctx.paths.cache_dir / "peaks" / f"{asset.sha256}.npy").is_file()
    view.waveform.grab()  # paints without error
    # a lexicon change that alters the reading makes the audio stale
    ctx.paths.lexicon_file.write_text("Đông\tĐông Bắc\n", encoding="utf-8")
    reload(qtbot, view)
    qtbot.waitUntil(lambda: not view.audio_pending, timeout=10_000)
    assert view.model.rows[0].audio is AudioState.STALE


def test_render_can_be_cancelled(qtbot, view, ctx) -> None:
    b = ctx.db.add_bulletin("Dài", LONG)
    reload(qtbot, view)
    view.select(b)
    cancelled: list[bool] = []
    task = view.render_selected()
    task.signals.cancelled.connect(lambda: cancelled.append(True))
    view.cancel_button.click()
    qtbot.waitUntil(lambda: view.task is None, timeout=60_000)
    assert cancelled == [True]
    assert view.notice_label.text().startswith("Đã hủy tạo âm thanh")
    assert ctx.db.get_bulletin(b).audio is None


def test_render_shows_the_online_voice_fallback_notice(qtbot, view, ctx, monkeypatch,
                                                       messages) -> None:
    from media.errors import LoaxaError
    from scheduler.library import Rendered

    b = ctx.db.add_bulletin("Tin", TEXT)
    reload(qtbot, view)
    view.select(b)
    real = ctx.render_bulletin

    def with_notice(bulletin_id, progress=None, should_stop=None):
        rendered = real(bulletin_id, progress, should_stop)
        return Rendered(rendered.asset, True, LoaxaError("voice_offline", engine="gtts",
                                                         reason="DNS"))

    monkeypatch.setattr(ctx, "render_bulletin", with_notice)
    view.render_selected()
    qtbot.waitUntil(lambda: view.task is None, timeout=90_000)
    settle(qtbot, view)
    assert "giọng đọc ngoại tuyến espeak-ng" in view.notice_label.text()
    assert view.notice_label.isVisibleTo(view)
    assert messages == [view.notice_label.text()]


def rendered_bulletin(qtbot, view, ctx) -> int:
    b = ctx.db.add_bulletin("Nghe thử", "Thông báo ngắn.")
    ctx.render_bulletin(b)
    reload(qtbot, view)
    view.select(b)
    return b


def test_preview_plays_on_the_default_output(qtbot, view, ctx, pulse_sink, messages) -> None:
    rendered_bulletin(qtbot, view, ctx)
    positions: list[float] = []
    view.player.position.connect(positions.append)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert view.player.playing
    qtbot.waitUntil(lambda: not view.player.playing, timeout=30_000)
    assert messages == []
    assert positions and max(positions) > 0.5
    assert view.play_button.text() == "▶ Nghe t&hử"


def test_preview_can_be_stopped(qtbot, view, ctx, pulse_sink, messages) -> None:
    rendered_bulletin(qtbot, view, ctx)
    started: list[float] = []
    view.player.started.connect(started.append)
    view.toggle_preview()
    qtbot.waitUntil(lambda: bool(started), timeout=30_000)
    view.toggle_preview()
    qtbot.waitUntil(lambda: not view.player.playing, timeout=10_000)
    assert messages == []


def test_preview_without_an_audio_device_says_so(qtbot, view, ctx, messages,
                                                 monkeypatch) -> None:
    rendered_bulletin(qtbot, view, ctx)
    monkeypatch.setattr(MiniaudioPlayer, "output_name", lambda self: None)
    view.toggle_preview()
    qtbot.waitUntil(lambda: not view.player.playing, timeout=10_000)
    assert messages and messages[-1].startswith("Máy tính này không có thiết bị phát âm thanh")
    assert view.play_button.isEnabled()


def test_approval_column_and_the_approve_action(qtbot, view, ctx, messages) -> None:
    from app.services import create_first_admin, login

    b = ctx.db.add_bulletin("Tin", TEXT)  # single-user setup: approved by "system"
    create_first_admin(ctx, "minh", "1357")  # admin, operator and approver
    ctx.db.add_user("lan", "2468", ["operator"])
    b2 = ctx.db.add_bulletin("Tin hai", TEXT)  # with users: waits for an approver
    reload(qtbot, view)

    def state(bulletin_id: int) -> str:
        row = view.proxy.mapFromSource(view.model.index(view.model.row_of(bulletin_id), 0))
        return view.proxy.index(row.row(), Column.APPROVAL).data()

    assert not view.table.isColumnHidden(Column.APPROVAL)
    assert (state(b), state(b2)) == ("Đã duyệt", "Chưa duyệt")
    assert view.select(b2) and view.approve_selected()
    settle(qtbot, view)
    assert state(b2) == "Đã duyệt" and ctx.db.get_bulletin(b2).approved_by == "minh"
    login(ctx, "lan", "2468")  # an operator may not approve: a message, nothing changes
    assert view.select(b2) and not view.approve_selected()
    assert messages and ctx.db.get_bulletin(b2).approved
