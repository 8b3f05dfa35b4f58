"""The bulletin category list in the Settings view (app/gui/categories_page.py, app/categories.py),
offscreen with pytest-qt: add, rename, remove and reorder saved to categories.txt and seen by
the Bulletins view, names refused (empty, duplicate ignoring case and diacritics, too long),
categories in use not silently lost, every change audited, only an admin edits."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from app import categories as cat
from app.gui.categories_page import CategoriesPage
from app.gui.tasks import TaskRunner
from app.gui.views.bulletins import BulletinsView
from app.lexicon import categories_file, load_categories
from media.errors import LoaxaError

TEXT = "Trạm y tế xã tiêm chủng cho trẻ em vào sáng thứ bảy."
DEFAULT_FIRST = "Chủ trương, chính sách của Đảng, pháp luật của Nhà nước"


@pytest.fixture
def page(qtbot, ctx, messages):
    widget = CategoriesPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def typed(monkeypatch: pytest.MonkeyPatch, *answers: str | None) -> list[str]:
    """The name dialog answers these in turn (None: Cancel); returns the texts it was
    opened with."""
    queue = list(answers)
    opened: list[str] = []

    def get_text(_parent, _title, _label, _echo=None, text="", *a, **k):
        opened.append(text)
        answer = queue.pop(0)
        return ("", False) if answer is None else (answer, True)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return opened


def answered(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent, _title, text, *a, **k):
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def shown(page: CategoriesPage) -> list[str]:
    return [page.list.item(n).text() for n in range(page.list.count())]


def audit(ctx) -> list[dict]:
    return [e.details for e in ctx.db.audit_events()
            if e.action == "settings_changed" and e.target == "categories"]


def test_the_default_list_then_add_rename_remove_reorder_saved(qtbot, page, ctx, messages,
                                                                 monkeypatch) -> None:
    assert page.names[0] == DEFAULT_FIRST and "Tiêm chủng" in page.names
    assert not categories_file(ctx.paths).exists()  # nothing written by looking
    assert page.add_button.isEnabled() and not page.notice.isVisible()

    typed(monkeypatch, "  Khuyến   nông ")
    assert page.add()
    assert page.names[-1] == "Khuyến nông" and page.selected() == "Khuyến nông"
    saved = categories_file(ctx.paths).read_text(encoding="utf-8")
    assert saved.startswith("# ") and saved.endswith("Khuyến nông\n")
    assert load_categories(ctx.paths) == page.names

    opened = typed(monkeypatch, "Khuyến nông, khuyến lâm")
    assert page.rename_selected()
    assert opened == ["Khuyến nông"]  # the old name to edit
    assert page.names[-1] == "Khuyến nông, khuyến lâm"
    assert page.result.text() == ("Đã đổi tên lĩnh vực “Khuyến nông” thành “Khuyến nông, "
                                  "khuyến lâm”; các bản tin vẫn giữ tên cũ.")

    page.select("Khuyến nông, khuyến lâm")
    assert page.move_selected(-1) and page.move_selected(-1)
    assert page.names[-3] == "Khuyến nông, khuyến lâm"
    page.select(DEFAULT_FIRST)
    assert not page.up_button.isEnabled() and not page.move_selected(-1)
    page.select("Tiêm chủng")
    asked = answered(monkeypatch, QMessageBox.StandardButton.Yes)
    assert page.remove_selected()
    assert asked == ["Xóa lĩnh vực “Tiêm chủng” khỏi danh sách?"]
    assert "Tiêm chủng" not in load_categories(ctx.paths)
    assert load_categories(ctx.paths) == page.names and messages == []

    assert audit(ctx) == [
        {"added": "Khuyến nông"},
        {"renamed": ["Khuyến nông", "Khuyến nông, khuyến lâm"], "bulletins": 0},
        {"moved": "Khuyến nông, khuyến lâm", "position": 19},  # of 20 (19 shipped + 1)
        {"moved": "Khuyến nông, khuyến lâm", "position": 18},
        {"removed": "Tiêm chủng", "bulletins_keeping_it": 0}]


def test_refused_names_are_said_and_asked_again(qtbot, page, ctx, messages,
                                                monkeypatch) -> None:
    opened = typed(monkeypatch, "   ", "tiem chung", "TIÊM CHỦNG", "x" * 101, "# ghi chú",
                   None)
    assert not page.add()
    assert messages == [
        "Tên lĩnh vực không được để trống.",
        "Đã có lĩnh vực “Tiêm chủng”; “tiem chung” trùng với nó (không kể chữ hoa, chữ "
        "thường và dấu).",
        "Đã có lĩnh vực “Tiêm chủng”; “TIÊM CHỦNG” trùng với nó (không kể chữ hoa, chữ "
        "thường và dấu).",
        "Tên lĩnh vực dài 101 ký tự; tối đa 100 ký tự.",
        "Tên lĩnh vực không được bắt đầu bằng dấu # (“# ghi chú”)."]
    assert opened[1:3] == ["   ", "tiem chung"]  # what was typed stays in the box
    assert not categories_file(ctx.paths).exists() and audit(ctx) == []


def test_validation_rules() -> None:
    names = ["Tiêm chủng", "An ninh, trật tự"]
    assert cat.check_name(" Đê  điều ", names) == "Đê điều"
    assert cat.check_name("x" * 100, names) == "x" * 100
    assert cat.fold("Đường  Làng") == cat.fold("duong lang")
    for bad, code in (("", "category_empty"), ("an ninh,  TRẬT TỰ", "category_duplicate"),
                      ("y" * 101, "category_too_long"), ("#1", "category_comment")):
        with pytest.raises(LoaxaError) as caught:
            cat.check_name(bad, names)
        assert caught.value.code == code
    # renaming may change only the case or the accents of its own name
    assert cat.check_name("TIÊM CHỦNG", names, replacing="Tiêm chủng") == "TIÊM CHỦNG"


def test_a_category_in_use_is_not_silently_lost(qtbot, page, ctx, messages,
                                                monkeypatch) -> None:
    used = [ctx.db.add_bulletin(f"Tiêm chủng {n}", TEXT, category="Tiêm chủng")
            for n in range(3)]
    other = ctx.db.add_bulletin("Bầu cử", TEXT, category="Bầu cử")
    page.reload()
    assert "Tiêm chủng — 3 bản tin" in shown(page)

    # renaming: Cancel changes nothing
    page.select("Tiêm chủng")
    typed(monkeypatch, "Tiêm chủng mở rộng")
    asked = answered(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not page.rename_selected()
    assert asked[0].startswith("3 bản tin đang thuộc lĩnh vực “Tiêm chủng”.")
    assert "Tiêm chủng" in load_categories(ctx.paths) and audit(ctx) == []

    # Yes: the bulletins follow the new name
    typed(monkeypatch, "Tiêm chủng mở rộng")
    answered(monkeypatch, QMessageBox.StandardButton.Yes)
    assert page.rename_selected()
    assert {ctx.db.get_bulletin(b).category for b in used} == {"Tiêm chủng mở rộng"}
    assert ctx.db.get_bulletin(other).category == "Bầu cử"
    assert page.result.text() == ("Đã đổi tên lĩnh vực “Tiêm chủng” thành “Tiêm chủng mở "
                                  "rộng” và cập nhật 3 bản tin.")
    assert "Tiêm chủng mở rộng — 3 bản tin" in shown(page)
    changed = [e for e in ctx.db.audit_events() if e.action == "bulletin_changed"]
    assert {e.target for e in changed} == {f"bulletin:{b}" for b in used}
    assert audit(ctx)[-1] == {"renamed": ["Tiêm chủng", "Tiêm chủng mở rộng"],
                              "bulletins": 3}

    # No: only the list; the bulletin keeps the old name
    page.select("Bầu cử")
    typed(monkeypatch, "Bầu cử, ứng cử")
    answered(monkeypatch, QMessageBox.StandardButton.No)
    assert page.rename_selected()
    assert ctx.db.get_bulletin(other).category == "Bầu cử"

    # removing one in use asks, says how many, and No keeps it
    page.select("Tiêm chủng mở rộng")
    asked = answered(monkeypatch, QMessageBox.StandardButton.No)
    assert not page.remove_selected()
    assert asked[0].startswith("3 bản tin đang thuộc lĩnh vực “Tiêm chủng mở rộng”.")
    assert "vẫn giữ lĩnh vực này" in asked[0]
    assert "Tiêm chủng mở rộng" in load_categories(ctx.paths)
    answered(monkeypatch, QMessageBox.StandardButton.Yes)
    assert page.remove_selected()
    assert "Tiêm chủng mở rộng" not in load_categories(ctx.paths)
    assert {ctx.db.get_bulletin(b).category for b in used} == {"Tiêm chủng mở rộng"}
    assert audit(ctx)[-1] == {"removed": "Tiêm chủng mở rộng", "bulletins_keeping_it": 3}


def test_the_bulletins_view_picks_up_the_list(qtbot, page, ctx, messages,
                                              monkeypatch) -> None:
    runner = TaskRunner()
    bulletins = BulletinsView(ctx, runner)
    qtbot.addWidget(bulletins)
    try:
        typed(monkeypatch, "Khuyến nông")
        assert page.add()
        page.select("Tiêm chủng")
        typed(monkeypatch, "Tiêm phòng")
        assert page.rename_selected()
        page.select("Bầu cử")
        answered(monkeypatch, QMessageBox.StandardButton.Yes)
        assert page.remove_selected()
        page.select("Khuyến nông")
        assert page.move_selected(-1)

        bulletins.reload()
        qtbot.waitUntil(lambda: not bulletins.reloading, timeout=10_000)
        box = bulletins.category_filter
        offered = [box.itemData(n) for n in range(1, box.count())]
        assert offered == page.names
        assert "Tiêm phòng" in offered and "Tiêm chủng" not in offered
        assert "Bầu cử" not in offered and offered[-2] == "Khuyến nông"

        seen: list[list[str]] = []

        class Editor:
            DialogCode = type("DialogCode", (), {"Accepted": 1})

            def __init__(self, _ctx, categories, _bulletin, _parent) -> None:
                seen.append(categories)
                self.saved_id = None
                self.lexicon_changed = False

            def exec(self) -> int:
                return 0

        import app.gui.views.bulletins as module

        monkeypatch.setattr(module, "BulletinEditor", Editor)
        bulletins.open_editor(None)
        assert seen == [page.names]
    finally:
        bulletins.shutdown()
        runner.wait(30_000)


def test_only_an_admin_edits(qtbot, ctx, messages, monkeypatch) -> None:
    from app.services import create_first_admin, login, logout

    create_first_admin(ctx, "minh", "1357")
    ctx.db.add_user("lan", "2468", ["operator"])
    login(ctx, "lan", "2468")
    page = CategoriesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.select("Tiêm chủng")
    assert page.notice.isVisible()
    assert page.notice.text() == "Chỉ quản trị mới sửa được danh sách lĩnh vực."
    for button in (page.add_button, page.rename_button, page.remove_button,
                   page.up_button, page.down_button):
        assert not button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: pytest.fail("no dialog for an operator")))
    assert not page.add() and not page.rename_selected() and not page.move_selected(1)
    with pytest.raises(LoaxaError) as refused:  # the rule holds below the window too
        cat.add_category(ctx, "Khuyến nông")
    assert refused.value.code == "permission_denied"
    assert not categories_file(ctx.paths).exists() and audit(ctx) == []

    logout(ctx)
    login(ctx, "minh", "1357")
    page.reload()
    assert not page.notice.isVisible() and page.add_button.isEnabled()
    typed(monkeypatch, "Khuyến nông")
    assert page.add()
    [event] = [e for e in ctx.db.audit_events() if e.target == "categories"]
    assert (event.actor, event.action, event.details) == ("minh", "settings_changed",
                                                           {"added": "Khuyến nông"})


def test_the_settings_view_has_the_section(qtbot, ctx, messages, monkeypatch) -> None:
    import miniaudio

    class Devices:
        def __init__(self, backends=None) -> None:
            pass

        def get_playbacks(self) -> list[dict]:
            return []

    monkeypatch.setattr(miniaudio, "Devices", Devices)
    from app.gui.views.settings import SettingsView

    view = SettingsView(ctx, TaskRunner())
    qtbot.addWidget(view)
    index = view.section_titles().index("Lĩnh vực bản tin")
    view.show_section(index)
    assert view.pages.currentWidget() is view.categories_page
    view.wait(30_000)


def test_category_counts_and_rename_in_the_database(anydb) -> None:
    """SQLite and PostgreSQL: counts by category, a rename all or none, audited per bulletin,
    refused to a user who may not edit bulletins."""
    db = anydb
    ids = [db.add_bulletin(f"Tin {n}", TEXT, category=c)
           for n, c in enumerate(["Tiêm chủng", "Tiêm chủng", "Bầu cử", ""])]
    assert db.bulletin_category_counts() == {"Tiêm chủng": 2, "Bầu cử": 1}
    assert db.rename_bulletin_category("Tiêm chủng", "  Tiêm phòng ") == 2
    assert [db.get_bulletin(b).category for b in ids] == ["Tiêm phòng", "Tiêm phòng", "Bầu cử",
                                                          ""]
    assert {e.target for e in db.audit_events() if e.action == "bulletin_changed"} == \
        {f"bulletin:{ids[0]}", f"bulletin:{ids[1]}"}
    assert db.rename_bulletin_category("Không có", "Gì đó") == 0

    db.add_user("minh", "1357", ["admin"])  # an admin only: may not edit bulletins
    db.login("minh", "1357")
    with pytest.raises(LoaxaError) as refused:
        db.rename_bulletin_category("Bầu cử", "Bầu cử, ứng cử")
    assert refused.value.code == "permission_denied"
    assert db.get_bulletin(ids[2]).category == "Bầu cử"
