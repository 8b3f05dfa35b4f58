"""The words LoaXa shows, in Vietnamese (default) and English, for the window and the CLI."""

from __future__ import annotations

from typing import Any

from media.errors import LoaxaError

_language = "vi"

# key: (Vietnamese, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # errors (codes raised by media/ and scheduler/)
    "text_bad_encoding": (
        "Tệp không phải văn bản UTF-8 hoặc UTF-16 (byte lỗi ở vị trí {position}). Hãy lưu lại "
        "tệp với mã hóa UTF-8 (Notepad: Lưu thành… → Mã hóa: UTF-8). Chưa lưu gì.",
        "The file is not UTF-8 or UTF-16 text (bad byte at position {position}). Save it again "
        "as UTF-8 (Notepad: Save as… → Encoding: UTF-8). Nothing was stored."),
    "text_not_text": ("Tệp này không phải văn bản. Chưa lưu gì.",
                      "This file is not text. Nothing was stored."),
    "text_empty": ("Văn bản trống: không có gì để đọc.", "The text is empty: nothing to read."),
    "text_too_long": ("Văn bản quá dài ({chars} ký tự, tối đa {limit}). Hãy chia thành nhiều "
                      "bản tin.",
                      "The text is too long ({chars} characters, at most {limit}). Split it "
                      "into several bulletins."),
    "file_not_found": ("Không tìm thấy tệp: {path}", "File not found: {path}"),
    "file_unreadable": ("Không đọc được tệp {path}: {reason}",
                        "Cannot read {path}: {reason}"),
    "file_unwritable": ("Không ghi được tệp {path}: {reason}. Tệp có đang mở trong Excel, "
                        "ổ đĩa có đầy không?",
                        "Cannot write {path}: {reason}. Is the file open in Excel, or the "
                        "disk full?"),
    "voice_missing": ("Không tải được giọng đọc {engine}. Hãy cài lại LoaXa.",
                      "The {engine} voice could not be loaded. Reinstall LoaXa."),
    "voice_offline": ("Không kết nối được giọng đọc trực tuyến {engine} ({reason}).",
                      "The online voice {engine} cannot be reached ({reason})."),
    "voice_fallback": ("{reason} Đã dùng giọng đọc ngoại tuyến espeak-ng; khi có mạng (hoặc đã "
                       "cài giọng đã chọn), tạo lại âm thanh để dùng giọng đã chọn.",
                       "{reason} The offline espeak-ng voice was used; make the audio again when "
                       "the network is back (or the chosen voice is installed) to use the "
                       "chosen voice."),
    "voice_unknown": ("Không có giọng đọc “{voice}”.", "There is no voice “{voice}”."),
    "voice_failed": ("Giọng đọc {engine} bị lỗi ({reason}).",
                     "The {engine} voice failed ({reason})."),
    "sapi_missing": ("Không dùng được giọng đọc cài trong Windows (SAPI) qua pyttsx3 ({reason}).",
                     "The voices installed in Windows (SAPI) cannot be used through pyttsx3 "
                     "({reason})."),
    "sapi_no_vietnamese": (
        "Máy này chưa có giọng đọc tiếng Việt SAPI5. Giọng “Microsoft An” mà Windows 10/11 cài "
        "từ Cài đặt › Thời gian và ngôn ngữ › Giọng nói thường là giọng OneCore, LoaXa không "
        "thấy được. Hãy cài một giọng tiếng Việt loại SAPI5 (bộ cài của nhà cung cấp giọng đọc "
        "ghi “SAPI5”), hoặc nhờ người quản trị máy chép khóa đăng ký của giọng An (tên kết thúc "
        "bằng viVN_An) từ HKLM\\SOFTWARE\\Microsoft\\Speech_OneCore\\Voices\\Tokens sang "
        "HKLM\\SOFTWARE\\Microsoft\\Speech\\Voices\\Tokens, rồi mở lại LoaXa. Muốn dùng "
        "giọng có sẵn thì đặt tts_engine = \"espeak\" trong settings.toml.",
        "This computer has no Vietnamese SAPI5 voice. The “Microsoft An” voice that Windows "
        "10/11 installs from Settings › Time & language › Speech is usually a OneCore voice, "
        "which LoaXa cannot see. Install a Vietnamese SAPI5 voice (the voice vendor's installer "
        "says “SAPI5”), or have the computer's administrator copy the An voice's registry key "
        "(its name ends in viVN_An) from HKLM\\SOFTWARE\\Microsoft\\Speech_OneCore\\Voices\\"
        "Tokens to HKLM\\SOFTWARE\\Microsoft\\Speech\\Voices\\Tokens, then open LoaXa "
        "again. To use the built-in voice, set tts_engine = \"espeak\" in settings.toml."),
    "sapi_voice_unknown": ("Không có giọng đọc tiếng Việt “{voice}” trong Windows (SAPI). "
                           "Các giọng tiếng Việt có: {available}. Sửa sapi_voice trong "
                           "settings.toml (để trống: giọng tiếng Việt đầu tiên).",
                           "There is no Vietnamese Windows (SAPI) voice “{voice}”. Vietnamese "
                           "voices installed: {available}. Change sapi_voice in settings.toml "
                           "(empty: the first Vietnamese voice)."),
    "ffmpeg_missing": ("Thiếu bộ mã hóa âm thanh ffmpeg. Hãy cài lại LoaXa.",
                       "The ffmpeg audio encoder is missing. Reinstall LoaXa."),
    "ffmpeg_failed": ("Xử lý âm thanh bị lỗi: {reason}", "Audio processing failed: {reason}"),
    "audio_format_unsupported": ("Định dạng “{suffix}” chưa hỗ trợ; hãy dùng .mp3 hoặc .wav.",
                                 "“{suffix}” is not supported; use .mp3 or .wav."),
    "export_format_unsupported": ("Chưa xuất được định dạng “{suffix}”; hãy dùng .csv.",
                                  "“{suffix}” cannot be exported yet; use .csv."),
    "lexicon_bad": ("Tệp từ điển riêng {path} không đọc được ({reason}). Hãy lưu lại với mã "
                    "hóa UTF-8.", "The lexicon file {path} is unreadable ({reason}). Save it "
                    "as UTF-8."),
    "audio_missing": ("Không tìm thấy tệp âm thanh {path}.", "Audio file {path} is missing."),
    "audio_corrupt": ("Tệp âm thanh {path} bị hỏng hoặc không đọc được ({reason}).",
                      "Audio file {path} is broken or unreadable ({reason})."),
    "output_open_failed": ("Không mở được thiết bị phát âm thanh: {reason}",
                           "Cannot open the audio output: {reason}"),
    "cancelled": ("Đã hủy.", "Cancelled."),
    "bad_datetime": ("Thời gian “{value}” không đúng dạng NĂM-THÁNG-NGÀY GIỜ:PHÚT "
                     "(ví dụ 2026-12-01 06:00).",
                     "“{value}” is not YYYY-MM-DD HH:MM (for example 2026-12-01 06:00)."),
    "bad_date": ("Ngày “{value}” không đúng dạng NĂM-THÁNG-NGÀY (ví dụ 2026-12-01).",
                 "“{value}” is not a date YYYY-MM-DD (for example 2026-12-01)."),
    "bad_range": ("Ngày bắt đầu {start} sau ngày kết thúc {end}.",
                  "The start date {start} is after the end date {end}."),
    "bulletin_not_found": ("Không có bản tin số {id}.", "There is no bulletin {id}."),
    "session_not_found": ("Không có buổi phát số {id}.", "There is no session {id}."),
    "session_empty": ("Buổi phát cần ít nhất một bản tin.",
                      "A session needs at least one bulletin."),
    "log_entry_not_found": ("Không có mục nhật ký số {id}.", "There is no log entry {id}."),
    "db_unavailable": ("Không mở được cơ sở dữ liệu {url}: {reason}",
                       "Cannot open the database {url}: {reason}"),
    "db_bad_url": ("Địa chỉ cơ sở dữ liệu không hợp lệ: {url}",
                   "Invalid database address: {url}"),
    "playout_running": ("Bộ phát đã đang chạy (chỉ một bộ phát trên một máy).",
                        "The playout engine is already running (one per machine)."),
    # reasons written in the broadcast log
    "no_output": ("không có thiết bị phát âm thanh", "no audio output device"),
    "output_lost": ("mất thiết bị phát âm thanh khi đang phát", "audio output lost while playing"),
    "process_stopped": ("máy hoặc chương trình dừng khi đang phát",
                        "the machine or program stopped while on air"),
    "engine_stopped": ("bộ phát được tắt khi đang phát", "playout was shut down while on air"),
    "not_rendered": ("bản tin chưa có âm thanh", "the bulletin has no audio yet"),
    "bulletin_missing": ("bản tin đã bị xóa", "the bulletin was deleted"),
    "missed_while_down": ("quá giờ cho phép khi máy không chạy",
                          "past the grace window while the machine was down"),
    # window
    "app_title": ("LoaXa — Loa truyền thanh xã", "LoaXa — Commune loudspeakers"),
    "tab_bulletins": ("Bản tin", "Bulletins"),
    "tab_sessions": ("Buổi phát", "Sessions"),
    "tab_log": ("Nhật ký phát thanh", "Broadcast log"),
    "act_add_bulletin": ("Thêm bản tin…", "Add bulletin…"),
    "act_render": ("Tạo âm thanh", "Make audio"),
    "act_schedule": ("Lên lịch phát…", "Schedule…"),
    "act_export": ("Xuất nhật ký…", "Export log…"),
    "act_station": ("Thông tin đài…", "Station…"),
    "act_start_playout": ("Khởi động bộ phát", "Start playout"),
    "menu_file": ("&Tệp", "&File"),
    "menu_language": ("&Ngôn ngữ", "&Language"),
    "menu_quit": ("Thoát", "Quit"),
    "col_id": ("Mã", "Id"),
    "col_title": ("Tiêu đề", "Title"),
    "col_level": ("Mức", "Level"),
    "col_audio": ("Âm thanh", "Audio"),
    "col_created": ("Ngày tạo", "Created"),
    "col_time": ("Giờ phát", "Time"),
    "col_state": ("Trạng thái", "State"),
    "col_bulletins": ("Bản tin", "Bulletins"),
    "col_scheduled": ("Giờ dự kiến", "Scheduled"),
    "col_started": ("Bắt đầu", "Started"),
    "col_ended": ("Kết thúc", "Ended"),
    "col_status": ("Trạng thái", "Status"),
    "col_reason": ("Lý do", "Reason"),
    "level_normal": ("thường", "normal"),
    "level_priority": ("ưu tiên", "priority"),
    "level_emergency": ("khẩn cấp", "emergency"),
    "state_scheduled": ("chờ phát", "scheduled"),
    "state_on_air": ("đang phát", "on air"),
    "state_done": ("đã xong", "done"),
    "state_missed": ("bị lỡ", "missed"),
    "state_cancelled": ("đã hủy", "cancelled"),
    "status_playing": ("đang phát", "playing"),
    "status_played": ("đã phát", "played"),
    "status_partial": ("phát không trọn", "partly played"),
    "status_failed": ("lỗi, không phát được", "failed"),
    "status_interrupted": ("bị ngắt", "interrupted"),
    "status_missed": ("bị lỡ", "missed"),
    "status_skipped": ("bỏ qua", "skipped"),
    "no_audio": ("chưa có", "none yet"),
    "audio_stale": ("cần tạo lại", "out of date"),
    "playout_on": ("Bộ phát: đang chạy", "Playout: running"),
    "playout_off": ("Bộ phát: KHÔNG chạy — các buổi phát sẽ không được phát",
                    "Playout: NOT running — sessions will not play"),
    "station_unset": ("Chưa đặt tên xã (Thông tin đài…)", "Commune not set (Station…)"),
    "dlg_bulletin_title": ("Thêm bản tin", "Add bulletin"),
    "lbl_title": ("Tiêu đề:", "Title:"),
    "lbl_level": ("Mức:", "Level:"),
    "lbl_text": ("Nội dung bản tin:", "Bulletin text:"),
    "btn_open_file": ("Mở tệp văn bản…", "Open text file…"),
    "text_files": ("Tệp văn bản (*.txt);;Mọi tệp (*)", "Text files (*.txt);;All files (*)"),
    "need_title": ("Hãy nhập tiêu đề bản tin.", "Enter a title for the bulletin."),
    "select_bulletin": ("Hãy chọn một bản tin trong danh sách.",
                        "Select a bulletin in the list first."),
    "dlg_schedule_title": ("Lên lịch buổi phát", "Schedule a session"),
    "lbl_at": ("Thời gian phát (giờ Việt Nam):", "Air time (Vietnam time):"),
    "lbl_pick_bulletins": ("Bản tin sẽ phát (theo thứ tự):", "Bulletins to play (in order):"),
    "dlg_export_title": ("Xuất nhật ký phát thanh", "Export the broadcast log"),
    "lbl_from": ("Từ ngày:", "From:"),
    "lbl_to": ("Đến ngày:", "To:"),
    "csv_files": ("Bảng tính CSV (*.csv)", "CSV spreadsheet (*.csv)"),
    "dlg_station_title": ("Thông tin đài truyền thanh", "Station identity"),
    "lbl_commune": ("Tên xã/phường:", "Commune:"),
    "lbl_code": ("Mã đơn vị hành chính:", "Administrative code:"),
    "lbl_centre": ("Trung tâm nhận báo cáo:", "Reporting centre:"),
    "working_render": ("Đang tạo âm thanh…", "Making audio…"),
    "working_export": ("Đang xuất nhật ký…", "Exporting the log…"),
    "work_busy": ("Đang có việc chạy; hãy đợi xong.", "Work is in progress; please wait."),
    "language_changed": ("Ngôn ngữ mới được áp dụng khi mở lại LoaXa.",
                         "The new language applies when LoaXa is opened again."),
    "btn_ok": ("Đồng ý", "OK"),
    "btn_cancel": ("Hủy bỏ", "Cancel"),
    "cannot_start": ("Không mở được LoaXa", "LoaXa cannot start"),
    # command line
    "cli_description": ("LoaXa — phát bản tin trên hệ thống loa truyền thanh xã.",
                        "LoaXa — bulletins on the commune loudspeakers."),
    "bulletin_added": ("Đã lưu bản tin “{title}” ({chars} ký tự). Mã bản tin:",
                       "Stored bulletin “{title}” ({chars} characters). Bulletin id:"),
    "rendered": ("Đã tạo âm thanh {path} — thời lượng {duration}.",
                 "Made audio {path} — duration {duration}."),
    "render_reused": ("Âm thanh của bản tin chưa đổi, dùng lại bản đã tạo.",
                      "The bulletin's audio is unchanged; reusing it."),
    "session_added": ("Đã lên lịch buổi phát số {id} lúc {at} (giờ Việt Nam), {n} bản tin.",
                      "Scheduled session {id} at {at} (Vietnam time), {n} bulletin(s)."),
    "session_in_past": ("Lưu ý: thời điểm này đã qua; bộ phát sẽ phát ngay nếu còn trong "
                        "{grace} phút, nếu không sẽ ghi là bị lỡ.",
                        "Note: this time has passed; playout plays it at once if within "
                        "{grace} minutes, otherwise logs it missed."),
    "exported": ("Đã xuất {count} mục nhật ký ra {path}.",
                 "Exported {count} log entries to {path}."),
    "demo_done": ("Đã thêm bản tin mẫu số {bulletin} và buổi phát số {session} lúc {at}. "
                  "Mở cửa sổ LoaXa (lệnh: loaxa) để xem phát.",
                  "Added sample bulletin {bulletin} and session {session} at {at}. Open the "
                  "LoaXa window (command: loaxa) to watch it play."),
    "demo_not_empty": ("Cơ sở dữ liệu đã có dữ liệu; không thêm dữ liệu mẫu.",
                       "The database already has data; no sample added."),
    "playout_started": ("Bộ phát đang chạy. Nhấn Ctrl+C để dừng.",
                        "Playout is running. Press Ctrl+C to stop."),
    "playout_idle": ("Không còn buổi phát nào trong 5 phút tới; bộ phát dừng.",
                     "No session in the next 5 minutes; playout stops."),
    "station_show": ("Xã: {commune}\nMã đơn vị hành chính: {code}\nTrung tâm nhận báo cáo: "
                     "{centre}", "Commune: {commune}\nAdministrative code: {code}\n"
                     "Reporting centre: {centre}"),
    "not_set": ("(chưa đặt)", "(not set)"),
    "error": ("Lỗi", "Error"),
    "seconds": ("{value} giây", "{value} s"),
}


def set_language(language: str) -> None:
    global _language
    _language = language if language in ("vi", "en") else "vi"


def language() -> str:
    return _language


def tr(key: str, **params: Any) -> str:
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[0] if _language == "vi" else pair[1]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def error_text(exc: LoaxaError) -> str:
    return tr(exc.code, **exc.params)


def reason_text(reason: str, lang: str | None = None) -> str:
    """A log reason ("code" or "code: detail") in words."""
    code, _, detail = reason.partition(": ")
    pair = MESSAGES.get(code)
    if pair is None:
        return reason
    words = pair[0] if (lang or _language) == "vi" else pair[1]
    if "{" in words:  # an error message: its parameters are the recorded detail
        return words.format_map(_Filler(detail))
    return f"{words} ({detail})" if detail else words


class _Filler(dict):
    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def __missing__(self, key: str) -> str:
        return self.value


def format_duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    value = f"{seconds:.1f}".replace(".", ",") if _language == "vi" else f"{seconds:.1f}"
    return f"{minutes:02d}:{secs:02d} ({tr('seconds', value=value)})"
