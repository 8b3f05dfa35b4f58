"""The Log view, offscreen with pytest-qt: filters, lazy paging on a large log, exports and
the report read back, signed package and verification, the integrity banner, details, push."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from app.gui import log_dialogs
from app.gui.background import Background
from app.gui.log_dialogs import default_file_name, safe_file_name, with_extension
from app.gui.tasks import TaskRunner
from app.gui.views.log import PAGE_SIZE, LogTableModel, LogView
from scheduler.persistence import Database
from scheduler.persistence.log_query import LogFilter, count_log_entries
from scheduler.records import LogStatus
from tests.logdata import pdf_text

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
TIEM = "Lịch tiêm chủng vắc-xin sởi"
DE_AN = "Tuyên truyền Đề án 06 về định danh điện tử"
LU = "Khẩn cấp: nước lũ lên nhanh"


def add(db, at: datetime, status: LogStatus, title: str, *, category: str = "",
        level: str = "normal", reason: str = "", by: str = "") -> int:
    return db.add_log_entry(scheduled_at=at, status=status, bulletin_title=title,
                            started_at=at, ended_at=at + timedelta(seconds=60),
                            played_ms=60_000 if status is LogStatus.PLAYED else 0,
                            reason=reason, category=category, level=level,
                            document_ref="06/QĐ-TTg", triggered_by=by,
                            output_device="Loa xã", audio_sha256="ab" * 32)


def fill(db) -> None:
    db.set_station(commune_name="Xã Hòa Bình", admin_code="24121",
                   centre_name="Trung tâm Văn hóa tỉnh")
    # 31 October 17:30 UTC is 00:30 on 1 November in Vietnam.
    add(db, D(2026, 10, 31, 17, 30), LogStatus.PLAYED, TIEM, category="Y tế")
    add(db, D(2026, 11, 10, 0, 0), LogStatus.MISSED, TIEM, category="Y tế",
        reason="missed_while_down")
    add(db, D(2026, 11, 20, 10, 0), LogStatus.FAILED, DE_AN, category="Chuyển đổi số",
        reason="no_output")
    add(db, D(2026, 11, 30, 16, 30), LogStatus.PLAYED, LU, category="Phòng chống thiên tai",
        level="emergency", by="Chủ tịch UBND xã")
    # 30 November 17:30 UTC is 00:30 on 1 December in Vietnam: outside November.
    add(db, D(2026, 11, 30, 17, 30), LogStatus.PLAYED, DE_AN, category="Chuyển đổi số")


@pytest.fixture
def view(qtbot, ctx, messages):
    fill(ctx.db)
    runner = TaskRunner()
    widget = LogView(ctx, runner)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.chain is not None and widget.total is not None,
                    timeout=30_000)
    widget.qtbot = qtbot
    yield widget
    runner.wait(60_000)
    widget.wait(30_000)


def titles(view: LogView) -> list[str]:
    """The titles shown once the background reads have arrived."""
    view.qtbot.waitUntil(view.settled, timeout=30_000)
    return [view.model.entry(r).bulletin_title for r in range(view.model.rowCount())]


def finished(qtbot, view: LogView) -> None:
    """Waits for the result of the work on the window's worker (and the worker free)."""
    qtbot.waitUntil(lambda: view.last_result != "" and not view.runner.busy(), timeout=90_000)


def select_combo(box, data) -> None:
    index = box.findData(data)
    assert index >= 0
    box.setCurrentIndex(index)


def test_filters_give_the_right_rows(qtbot, view) -> None:
    assert titles(view) == [DE_AN, LU, DE_AN, TIEM, TIEM]  # newest first
    assert view.count_label.text() == "5 mục"
    view.set_dates(date(2026, 11, 1), date(2026, 11, 30))  # Vietnam days
    assert titles(view) == [LU, DE_AN, TIEM, TIEM]
    select_combo(view.status_box, "failed")
    assert titles(view) == [DE_AN]
    select_combo(view.status_box, "failed,missed,interrupted,partial")
    assert titles(view) == [DE_AN, TIEM]
    view.status_box.setCurrentIndex(0)
    select_combo(view.level_box, "emergency")
    assert titles(view) == [LU]
    view.level_box.setCurrentIndex(0)
    assert view.category_box.findData("Y tế") > 0  # categories come from the log
    select_combo(view.category_box, "Y tế")
    assert titles(view) == [TIEM, TIEM]
    view.category_box.setCurrentIndex(0)
    view.search.setText("ĐỀ ÁN 06")  # case-insensitive, Vietnamese letters too
    view.apply_filter()
    assert titles(view) == [DE_AN]
    assert view.count_label.text() == "1 mục"
    view.search.setText("100%_")  # LIKE wildcards are literal
    view.apply_filter()
    assert titles(view) == []
    view.clear_filters()
    assert len(titles(view)) == 5
    # Reversed dates: nothing is lost, the reason is shown.
    view.set_dates(date(2026, 11, 30), date(2026, 11, 1))
    assert "sau ngày kết thúc" in view.count_label.text()
    assert len(titles(view)) == 5


def test_a_large_log_opens_without_reading_every_row(qtbot, tmp_path) -> None:
    from tests.benchmarks.logfill import make_database

    db, _ = make_database(tmp_path / "big.db", 100_000)
    try:
        reads = Background()
        model = LogTableModel(SimpleNamespace(db=db), background=reads)
        model.set_filter(LogFilter())  # read in the background
        qtbot.waitUntil(lambda: not model.loading, timeout=30_000)
        assert model.fetched == PAGE_SIZE and model.rowCount() == PAGE_SIZE
        assert model.canFetchMore()
        first_page = [model.entry(r) for r in range(PAGE_SIZE)]
        model.fetchMore()
        assert not model.canFetchMore()  # one page at a time
        qtbot.waitUntil(lambda: not model.loading, timeout=30_000)
        assert model.fetched == 2 * PAGE_SIZE
        second_page = [model.entry(r) for r in range(PAGE_SIZE, 2 * PAGE_SIZE)]
        keys = [(e.scheduled_at, e.id) for e in first_page + second_page]
        assert keys == sorted(keys, reverse=True) and len(set(keys)) == len(keys)
        assert count_log_entries(db, LogFilter()) == 100_000
        # A table view asks only for what it shows.
        from PySide6.QtWidgets import QTableView

        table = QTableView()
        qtbot.addWidget(table)
        model.set_filter(LogFilter(statuses=("failed",)))
        table.setModel(model)
        table.show()
        qtbot.waitUntil(lambda: not model.loading and not reads.busy(), timeout=30_000)
        qtbot.wait(200)
        qtbot.waitUntil(lambda: not model.loading and not reads.busy(), timeout=30_000)
        assert model.fetched <= 2 * PAGE_SIZE
        failed = count_log_entries(db, LogFilter(statuses=("failed",)))
        with db.engine.connect() as c:
            expected = c.exec_driver_sql("SELECT count(*) FROM broadcast_log_entry "
                                         "WHERE status = 'failed'").scalar()
        assert failed == expected and 0 < failed < 100_000
        assert all(model.entry(r).status is LogStatus.FAILED for r in range(model.rowCount()))
        # Read at once when there is no background (the same pages).
        direct = LogTableModel(SimpleNamespace(db=db))
        direct.set_filter(LogFilter())
        assert [direct.entry(r) for r in range(PAGE_SIZE)] == first_page
    finally:
        reads.wait(30_000)
        db.close()


def test_exports_are_written_and_read_back(qtbot, view, tmp_path) -> None:
    out = tmp_path / "xuất"
    csv_path = out / "Nhật ký phát thanh 2026-11.csv"
    view.export_to(date(2026, 11, 1), date(2026, 11, 30), None, csv_path)
    finished(qtbot, view)
    assert "4 mục" in view.last_result
    raw = csv_path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5 and TIEM in rows[1]

    view.last_result = ""
    xlsx_path = out / "Nhật ký phát thanh 2026-11.xlsx"
    view.export_to(date(2026, 11, 1), date(2026, 11, 30), "xlsx", xlsx_path)
    finished(qtbot, view)
    workbook = openpyxl.load_workbook(xlsx_path, read_only=True)
    detail = list(workbook["Chi tiết"].iter_rows(values_only=True))
    assert len(detail) == 5 and any(LU in row for row in detail)
    workbook.close()

    view.last_result = ""
    pdf_path = out / "Nhật ký phát thanh 2026-11.pdf"
    view.export_to(date(2026, 11, 1), date(2026, 11, 30), "pdf", pdf_path)
    finished(qtbot, view)
    assert "vắc-xin sởi" in pdf_text(pdf_path)


def test_the_commune_report_is_written(qtbot, view, tmp_path) -> None:
    path = tmp_path / "Báo cáo phát thanh 2026-11.pdf"
    view.report_to(date(2026, 11, 1), date(2026, 11, 30), None, path)
    finished(qtbot, view)
    assert "Đã lập báo cáo" in view.last_result
    text = pdf_text(path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Trung tâm Văn hóa tỉnh" in text
    xlsx = tmp_path / "Báo cáo phát thanh 2026-11.xlsx"
    view.last_result = ""
    view.report_to(date(2026, 11, 1), date(2026, 11, 30), "xlsx", xlsx)
    finished(qtbot, view)
    sheet = openpyxl.load_workbook(xlsx, read_only=True).active
    assert any("BÁO CÁO" in str(v) for row in sheet.iter_rows(values_only=True)
               for v in row if v)


def test_package_and_verify_round_trip_and_a_tampered_package(qtbot, view, tmp_path,
                                                               messages) -> None:
    path = tmp_path / "Gói nhật ký 2026-11.jsonl"
    view.package_to(date(2026, 11, 1), date(2026, 11, 30), path)
    finished(qtbot, view)
    assert "4 mục (số thứ tự 1–4)" in view.last_result
    view.last_result = ""
    view.verify_file(path)
    finished(qtbot, view)
    assert view.last_result.startswith("GÓI HỢP LỆ") and "Xã Hòa Bình" in view.last_result

    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace("Lịch tiêm".encode(), b"Lich tiem")  # entry seq 2
    tampered = tmp_path / "sửa.jsonl"
    tampered.write_bytes(b"\n".join(lines))
    view.last_result = ""
    view.verify_file(tampered)
    finished(qtbot, view)
    assert view.last_result.startswith("GÓI KHÔNG HỢP LỆ")
    assert "số thứ tự 2" in view.last_result and messages[-1] == view.last_result


def test_integrity_banner_on_a_good_and_a_tampered_chain(qtbot, view, ctx) -> None:
    assert view.banner.text().startswith("Nhật ký toàn vẹn — 5 mục, kiểm tra lúc")
    assert view.chain.ok
    with ctx.db.engine.begin() as c:
        c.exec_driver_sql("DROP TRIGGER broadcast_log_entry_sealed_no_update")
        c.exec_driver_sql("UPDATE broadcast_log_entry SET played_ms = 1 WHERE seq = 2")
    view.check_chain(full=True)
    qtbot.waitUntil(lambda: "KHÔNG TOÀN VẸN" in view.banner.text(), timeout=30_000)
    assert "mục số thứ tự 2 đã bị sửa" in view.banner.text()
    assert "#b3261e" in view.banner.styleSheet()


def test_a_deleted_last_entry_is_reported_missing(qtbot, view, ctx) -> None:
    with ctx.db.engine.begin() as c:
        c.exec_driver_sql("DROP TRIGGER broadcast_log_entry_sealed_no_delete")
        c.exec_driver_sql("DELETE FROM broadcast_log_entry WHERE seq = 5")
    view.check_chain(full=True)
    qtbot.waitUntil(lambda: "KHÔNG TOÀN VẸN" in view.banner.text(), timeout=30_000)
    assert "thiếu mục số thứ tự 5" in view.banner.text()


def test_details_corrections_and_reload(qtbot, view, ctx) -> None:
    view.table.selectRow(0)
    selected = view.model.entry(0).id
    ctx.db.add_correction(2, LogStatus.PLAYED, "Đã phát bằng tay lúc 07:10", "Cán bộ Lan")
    view.reload()
    qtbot.waitUntil(lambda: view.chain.checked == 6, timeout=30_000)  # incremental check
    assert view.banner.text().startswith("Nhật ký toàn vẹn — 6 mục")
    assert len(titles(view)) == 6
    assert view.model.entry(view.table.currentIndex().row()).id == selected  # kept
    rows = [view.model.entry(r) for r in range(view.model.rowCount())]
    # A correction keeps the corrected entry's times: it comes just before it (newer id).
    correction = next(e for e in rows if e.corrects_seq == 2)
    assert rows[rows.index(correction) + 1].seq == 2
    assert view.model.data(view.model.index(rows.index(correction), 3)) == "đã phát ✎"
    view.table.selectRow(view.model.row_of(correction.id))
    shown = view.details.toHtml()
    assert "Cán bộ Lan" in shown and "seq:2" in shown
    original = next(view.model.entry(r) for r in range(view.model.rowCount())
                    if view.model.entry(r).seq == 2)
    view.table.selectRow(view.model.row_of(original.id))
    shown = view.details.toHtml()
    assert "seq:6" in shown and "không có thiết bị phát" not in shown
    assert "quá giờ cho phép khi máy không chạy" in shown  # the reason in words
    assert original.entry_hash in shown
    from PySide6.QtCore import QUrl

    view._open_link(QUrl("seq:6"))
    assert view.model.entry(view.table.currentIndex().row()).seq == 6


def test_push_to_the_centre_now(qtbot, view, ctx, tmp_path) -> None:
    assert not view.push_button.isEnabled()  # no centre database set
    url = "sqlite:///" + (tmp_path / "centre.db").as_posix()
    centre = Database(url)
    centre.upgrade()
    centre.centre_register(ctx.key.public_hex, "Xã Hòa Bình", "24121")
    centre.close()
    ctx.settings.centre_database_url = url
    view.reload()
    assert view.push_button.isEnabled()
    view.push_now()
    finished(qtbot, view)
    assert view.last_result.startswith("Đã gửi 5 mục nhật ký mới")
    ctx.settings.centre_database_url = "postgresql+psycopg://x@127.0.0.1:1/none"
    view.last_result = ""
    view.push_now()
    finished(qtbot, view)
    assert "Không kết nối được" in view.last_result


def test_file_names_are_windows_proof_with_the_period() -> None:
    assert default_file_name("export", date(2026, 11, 1), date(2026, 11, 30), "xlsx") == \
        "Nhật ký phát thanh 2026-11.xlsx"
    assert default_file_name("report", date(2026, 11, 3), date(2026, 11, 9), "pdf") == \
        "Báo cáo phát thanh 2026-11-03 đến 2026-11-09.pdf"
    assert default_file_name("package", date(2026, 1, 1), date(2026, 12, 31), "jsonl") == \
        "Gói nhật ký 2026.jsonl"
    assert safe_file_name('Xã "Tân/Lập": 1?.csv ') == "Xã -Tân-Lập-- 1-.csv"
    assert safe_file_name("CON.csv") == "_CON.csv"
    assert safe_file_name("Nhật ký...") == "Nhật ký"
    assert with_extension(Path("a/nhật ký"), "csv", ("csv", "xlsx")).name == "nhật ký.csv"
    assert with_extension(Path("a/b.XLSX"), "csv", ("csv", "xlsx")).name == "b.XLSX"
    assert with_extension(Path("a/b.2026"), "pdf", ("pdf",)).name == "b.2026.pdf"


def test_export_dialog_names_the_file_and_remembers_the_folder(qtbot, view, tmp_path,
                                                               monkeypatch) -> None:
    offered: list[str] = []
    target = tmp_path / "báo cáo" / "tháng 11"  # typed without an extension
    target.parent.mkdir()

    def fake_exec(dialog: QDialog) -> int:
        dialog.by_month.setChecked(True)
        dialog.month.setDate(dialog.month.date().fromString("11/2026", "MM/yyyy"))
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
        return QDialog.DialogCode.Accepted

    def fake_save(_parent, _title, proposed, filters, selected):
        offered.append(proposed)
        return str(target), selected

    monkeypatch.setattr(log_dialogs.PeriodDialog, "exec", fake_exec)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    view.export_dialog()
    finished(qtbot, view)
    assert Path(offered[0]).name == "Nhật ký phát thanh 2026-11.csv"
    written = target.with_name("tháng 11.csv")
    assert written.read_bytes().startswith(codecs.BOM_UTF8)
    assert view.files.folder == target.parent
    # A new view (the next start) offers the same folder.
    view.last_result = ""
    view.report_dialog()
    finished(qtbot, view)
    assert Path(offered[1]).parent == target.parent


def test_period_dialog_refuses_reversed_dates(qtbot, messages) -> None:
    dialog = log_dialogs.PeriodDialog("x", date(2026, 11, 25), ("pdf", "xlsx"))
    qtbot.addWidget(dialog)
    dialog.by_range.setChecked(True)
    dialog.first.setDate(dialog.first.date().fromString("20/11/2026", "dd/MM/yyyy"))
    dialog.last.setDate(dialog.last.date().fromString("10/11/2026", "dd/MM/yyyy"))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "20/11/2026" in messages[-1]
    dialog.by_month.setChecked(True)
    assert dialog.dates() == (date(2026, 11, 1), date(2026, 11, 30))
    assert dialog.fmt() == "pdf"


def test_work_can_be_cancelled_from_the_progress_dialog(qtbot, view, messages) -> None:
    import time as _time

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from media.errors import Cancelled

    steps: list[int] = []

    def work(progress, stop) -> None:
        while not stop():
            steps.append(len(steps))
            progress(len(steps), 0)
            _time.sleep(0.01)
        raise Cancelled()

    task = log_dialogs.run_with_progress(view, view.runner, "Đang xuất…", work,
                                         lambda _r: None, count_label="logview_rows_done")
    assert task is not None
    qtbot.waitUntil(lambda: len(steps) > 3, timeout=30_000)
    dialog = view.findChild(QProgressDialog)
    assert dialog is not None and dialog.labelText().startswith("Đang xuất…\nĐã ghi")
    dialog.findChild(QPushButton).click()  # its cancel button
    qtbot.waitUntil(lambda: bool(messages) and messages[-1] == "Đã hủy.", timeout=30_000)
    qtbot.waitUntil(lambda: not view.runner.busy(), timeout=30_000)


# -- the centre: consolidated report, import, registration; cancel; open the file ----------
def _cells(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path, read_only=True).active
    return [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def test_the_centre_report_from_the_dialog_read_back(qtbot, view, ctx, tmp_path, monkeypatch,
                                                     messages) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from tests.test_centre_report import FIRST, LAST, fill_centre

    fill_centre(ctx.db)
    offered: list[str] = []
    folder = tmp_path / "Trung tâm" / "báo cáo"
    folder.mkdir(parents=True)
    target = folder / "Tổng hợp quý Đông – Xuân"  # typed without an extension
    seen: dict[str, list[str]] = {}

    def fake_exec(dialog) -> int:
        seen["communes"] = [dialog.commune_list.item(r).text()
                            for r in range(dialog.commune_list.count())]
        dialog.by_range.setChecked(True)
        dialog.first.setDate(dialog.first.date().fromString("01/12/2026", "dd/MM/yyyy"))
        dialog.last.setDate(dialog.last.date().fromString("31/01/2027", "dd/MM/yyyy"))
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("xlsx"))
        for r in range(dialog.commune_list.count()):
            if dialog.commune_list.item(r).text().startswith("Xã Cư Êbur"):
                dialog.commune_list.item(r).setCheckState(Qt.CheckState.Unchecked)
        return QDialog.DialogCode.Accepted

    def fake_save(_parent, _title, proposed, filters, selected):
        offered.append(proposed)
        return str(target), selected

    monkeypatch.setattr(log_dialogs.CentreReportDialog, "exec", fake_exec)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    view.centre_report_dialog()
    finished(qtbot, view)
    assert seen["communes"] == ["Phường Tân Lập (24122)", "Xã Cư Êbur (chưa có mã)",
                                "Xã Ea Kao (24123)", "Xã Hòa Bình (24121)"]
    assert Path(offered[0]).name == \
        "Báo cáo tổng hợp phát thanh 2026-12-01 đến 2027-01-31.xlsx"
    written = target.with_name(target.name + ".xlsx")
    assert view.last_result.startswith("Đã lập báo cáo tổng hợp từ ngày 01/12/2026")
    assert "2/3 xã, phường đã gửi nhật ký" in view.last_result
    assert "Các xã, phường không gửi nhật ký trong kỳ: Xã Ea Kao" in view.last_result
    cells = _cells(written)
    assert "Xã Hòa Bình (24121)" in cells and "Phường Tân Lập (24122)" in cells
    assert not any("Cư Êbur" in c for c in cells)  # left out in the dialog

    # The box offers to open the file or its folder.
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    box = next(b for b in view.findChildren(QMessageBox) if b.isVisible())
    assert box.text() == view.last_result
    buttons = {b.text(): b for b in box.findChildren(QPushButton)}
    buttons["Mở thư &mục"].click()
    assert opened == [str(folder)]
    assert QUrl.fromLocalFile(str(written)).toLocalFile() == str(written)

    # CSV and PDF of every commune, straight from the view.
    view.last_result = ""
    csv_path = folder / "Tổng hợp tháng 12.csv"
    view.centre_report_to(FIRST, LAST, None, csv_path)
    finished(qtbot, view)
    rows = list(csv.DictReader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert {r["Xã, phường"] for r in rows} == {"Phường Tân Lập", "Xã Cư Êbur", "Xã Ea Kao",
                                              "Xã Hòa Bình", "Tổng cộng"}
    view.last_result = ""
    pdf_path = folder / "Tổng hợp tháng 12.pdf"
    view.centre_report_to(FIRST, LAST, "pdf", pdf_path)
    finished(qtbot, view)
    text = pdf_text(pdf_path)
    assert "TỔNG HỢP KẾT QUẢ PHÁT THANH" in text and "Xã Cư Êbur" in text
    assert not messages  # nothing went wrong


def test_the_centre_report_with_no_commune_says_what_to_do(qtbot, view, messages,
                                                          monkeypatch) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(log_dialogs.CentreReportDialog, "exec",
                        lambda _d: asked.append(True) or QDialog.DialogCode.Rejected)
    assert view.centre_report_dialog() is None
    assert not asked  # no dialog: the empty state instead
    assert messages[-1].startswith("Máy này chưa đăng ký xã, phường nào")
    assert "Trung tâm ▸ Đăng ký xã, phường…" in messages[-1]
    assert [a.text() for a in view.centre_button.menu().actions()] == [
        "&Báo cáo tổng hợp các xã, phường…", "&Nhận gói nhật ký của xã…",
        "Đăng &ký xã, phường…", "&Danh sách xã, phường đã đăng ký"]
    messages.clear()
    assert view.centre_list_dialog() is None
    assert messages[-1].startswith("Máy này chưa đăng ký xã, phường nào")


def test_the_centre_report_dialog_needs_a_commune(qtbot, messages) -> None:
    from scheduler.reports.centre_records import CentreCommune

    communes = [CentreCommune("24121", "Xã Hòa Bình", "24121", ("a" * 16,), D(2026, 1, 1)),
                CentreCommune("station:" + "b" * 16, "Xã Cư Êbur", "", ("b" * 16,),
                              D(2026, 1, 1))]
    dialog = log_dialogs.CentreReportDialog("x", date(2026, 12, 3), communes)
    qtbot.addWidget(dialog)
    assert dialog.communes() == ()  # every one: the report's default
    assert dialog.fmt() == "pdf" and dialog.dates() == (date(2026, 11, 1), date(2026, 11, 30))
    dialog.commune_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.communes() == ("b" * 16,)  # no code: by its station id
    dialog.commune_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert messages[-1] == "Hãy chọn ít nhất một xã, phường cho báo cáo."


def test_centre_report_errors_are_in_vietnamese(qtbot, view, ctx, tmp_path, monkeypatch,
                                                messages) -> None:
    from media.errors import LoaxaError
    from scheduler.reports import centre as centre_module
    from tests.test_centre_report import FIRST, LAST, fill_centre

    fill_centre(ctx.db)
    busy = tmp_path / "đang mở.xlsx"
    busy.mkdir()  # where the file should go: a folder (as a file held open by Excel)
    view.centre_report_to(FIRST, LAST, "xlsx", busy)
    finished(qtbot, view)
    assert view.last_result.startswith("Không ghi được tệp")
    assert "Tệp có đang mở trong Excel không, hay ổ đĩa đã đầy?" in view.last_result
    assert messages[-1] == view.last_result
    assert not list(tmp_path.glob(".*.part"))

    def unreachable(*_a, **_k):
        raise LoaxaError("db_unavailable", url="postgresql+psycopg://trungtam@10.0.0.5/loaxa",
                         reason="connection refused")

    monkeypatch.setattr(centre_module, "centre_report_data", unreachable)
    view.last_result = ""
    view.centre_report_to(FIRST, LAST, "pdf", tmp_path / "b.pdf")
    finished(qtbot, view)
    assert view.last_result.startswith("Không mở được cơ sở dữ liệu postgresql+psycopg://")
    assert not (tmp_path / "b.pdf").exists()

    view.last_result = ""
    view.centre_report_to(FIRST, LAST, None, tmp_path / "c.docx")
    finished(qtbot, view)
    assert "hãy dùng .pdf, .xlsx hoặc .csv" in view.last_result


def _blocked(monkeypatch, module, name: str):
    """``module.name`` made to wait (after doing its work) until the test lets it go: the
    work is then surely running when the test presses Cancel."""
    import threading

    reached, gate = threading.Event(), threading.Event()
    real = getattr(module, name)

    def waiting(*args, **kwargs):
        result = real(*args, **kwargs)
        reached.set()
        gate.wait(60)
        return result

    monkeypatch.setattr(module, name, waiting)
    return reached, gate


@pytest.mark.parametrize("kind", ["centre_report", "report", "package", "verify", "export"])
def test_cancel_stops_the_work_and_leaves_no_file(qtbot, view, ctx, tmp_path, monkeypatch,
                                                  messages, kind) -> None:
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from scheduler import export as export_module
    from scheduler.logbook import service
    from scheduler.reports import centre as centre_module
    from scheduler.reports import report as report_module
    from tests.test_centre_report import FIRST, LAST, fill_centre

    folder = tmp_path / "hủy"
    folder.mkdir()
    month = (date(2026, 11, 1), date(2026, 11, 30))
    if kind == "verify":
        package = folder / "Gói nhật ký 2026-11.jsonl"
        view.package_to(*month, package)
        finished(qtbot, view)
        view.last_result = ""
    blocks = {"centre_report": (centre_module, "centre_report_data"),
              "report": (report_module, "make_document"),
              "package": (service, "entry_fields"),
              "verify": (service, "read_package_file"),
              "export": (export_module, "iter_export_plain_batches")}
    reached, gate = _blocked(monkeypatch, *blocks[kind])
    if kind == "centre_report":
        fill_centre(ctx.db)
        out = folder / "Báo cáo tổng hợp.pdf"
        view.centre_report_to(FIRST, LAST, "pdf", out)
    elif kind == "report":
        out = folder / "Báo cáo.xlsx"
        view.report_to(*month, "xlsx", out)
    elif kind == "package":
        out = folder / "Gói.jsonl"
        view.package_to(*month, out)
    elif kind == "export":
        out = folder / "Nhật ký.csv"
        view.export_to(*month, "csv", out)
    else:
        out = package
        view.verify_file(package)
    qtbot.waitUntil(reached.is_set, timeout=60_000)
    dialog = view.findChild(QProgressDialog)
    dialog.findChild(QPushButton).click()  # its cancel button
    gate.set()
    finished(qtbot, view)
    if kind == "verify":
        assert view.last_result == "Đã hủy kiểm tra gói." and package.exists()
    else:
        assert view.last_result == "Đã hủy; không có tệp nào được ghi."
        assert not out.exists()
        assert sorted(p.name for p in folder.iterdir()) == []  # no temporary file either
    assert messages[-1] == view.last_result


def test_the_centre_registers_and_imports_packages(qtbot, view, ctx, tmp_path, monkeypatch,
                                                   messages) -> None:
    from scheduler.persistence.centre_reports_db import centre_communes

    package = tmp_path / "Gói nhật ký 2026-11.jsonl"
    view.package_to(date(2026, 11, 1), date(2026, 11, 30), package)
    finished(qtbot, view)

    def fake_exec(dialog) -> int:
        dialog.source.setText(str(package))  # the key from the commune's package
        dialog.name.setText("Xã Hòa Bình")
        dialog.code.setText("24121")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(log_dialogs.RegisterDialog, "exec", fake_exec)
    view.last_result = ""
    view.centre_register_dialog()
    finished(qtbot, view)
    assert view.last_result.startswith("Đã đăng ký Xã Hòa Bình: mã đài")
    assert [c.name for c in centre_communes(ctx.db)] == ["Xã Hòa Bình"]

    lines = package.read_bytes().split(b"\n")
    lines[2] = lines[2].replace("Lịch tiêm".encode(), b"Lich tiem")
    tampered = tmp_path / "gói bị sửa.jsonl"
    tampered.write_bytes(b"\n".join(lines))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(
        lambda *_a: ([str(package), str(tampered)], "")))
    view.last_result = ""
    view.centre_import_dialog()
    finished(qtbot, view)
    assert view.last_result.startswith("Đã nhận 1/2 gói nhật ký; từ chối 1.")
    assert "Gói nhật ký 2026-11.jsonl: đã nhận 4 mục mới của Xã Hòa Bình" in view.last_result
    assert "gói bị sửa.jsonl: TỪ CHỐI, không lưu gì" in view.last_result
    assert messages[-1] == view.last_result  # a warning: one was refused
    assert ctx.db.centre_stations()[0].entry_count == 4

    shown: list[list[list[str]]] = []
    monkeypatch.setattr(log_dialogs.CentreListDialog, "exec",
                        lambda d: shown.append(d.rows()) or 0)
    view.centre_list_dialog()
    assert shown[0] == [["Xã Hòa Bình", "24121", ctx.key.station_id, "4", "4", "4",
                         ctx.key.fingerprint]]

    def empty_exec(dialog) -> int:
        dialog.accept()  # nothing typed: refused with the reason, stays open
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(log_dialogs.RegisterDialog, "exec", empty_exec)
    assert view.centre_register_dialog() is None
    assert messages[-1].startswith("Hãy nhập khóa công khai của xã")


def test_the_first_chain_check_waits_for_the_first_page(qtbot, ctx, messages) -> None:
    fill(ctx.db)
    runner = TaskRunner()
    widget = LogView(ctx, runner)
    qtbot.addWidget(widget)
    assert widget.chain is None and not widget.background.busy()  # nothing hashed yet
    assert not widget.settled()  # the check is still to come
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0, timeout=30_000)
    qtbot.waitUntil(widget.settled, timeout=30_000)
    assert widget.chain is not None and widget.chain.ok
    assert widget.banner.text().startswith("Nhật ký toàn vẹn — 5 mục")
    runner.wait(10_000)
    widget.wait(10_000)
