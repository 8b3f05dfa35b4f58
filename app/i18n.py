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
    "file_unwritable": ("Không ghi được tệp {path}: {reason}. Tệp có đang mở trong Excel "
                        "không, hay ổ đĩa đã đầy?",
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
    "export_format_unsupported": ("Không xuất được định dạng “{suffix}”; hãy dùng .csv, .xlsx "
                                  "hoặc .pdf.",
                                  "“{suffix}” cannot be exported; use .csv, .xlsx or .pdf."),
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
    "playout_running": ("Bộ phát đang chạy rồi (mỗi máy chỉ chạy một bộ phát).",
                        "The playout engine is already running (one per machine)."),
    # reasons written in the broadcast log
    "no_output": ("không có thiết bị phát âm thanh", "no audio output device"),
    "output_lost": ("mất thiết bị phát âm thanh khi đang phát", "audio output lost while playing"),
    "process_stopped": ("máy hoặc chương trình dừng khi đang phát",
                        "the machine or program stopped while on air"),
    "engine_stopped": ("bộ phát bị tắt khi đang phát", "playout was shut down while on air"),
    "not_rendered": ("bản tin chưa có âm thanh", "the bulletin has no audio yet"),
    "bulletin_missing": ("bản tin đã bị xóa", "the bulletin was deleted"),
    "missed_while_down": ("quá giờ cho phép khi máy không chạy",
                          "past the grace window while the machine was down"),
    "quiet_hours": ("trong giờ yên lặng", "inside quiet hours"),
    "emergency_interrupt": ("ngắt để phát bản tin khẩn cấp, sau đó phát lại từ đầu",
                            "interrupted by an emergency bulletin, then played again"),
    "amplifier_failed": ("lệnh bật/tắt bộ khuếch đại bị lỗi",
                         "the amplifier on/off command failed"),
    "stream_bad_url": ("Địa chỉ luồng tiếp sóng không hợp lệ (cần http:// hoặc https://): {url}",
                       "Invalid live stream address (http:// or https:// needed): {url}"),
    "stream_unreachable": ("không kết nối được luồng tiếp sóng",
                           "the relayed live stream could not be reached"),
    "stream_failed": ("luồng tiếp sóng bị ngắt giữa chừng",
                      "the relayed live stream failed part way"),
    # schedule (command line)
    "bad_time": ("Giờ “{value}” không đúng dạng GIỜ:PHÚT (ví dụ 06:00 hoặc 22:00-05:00).",
                 "“{value}” is not HH:MM (for example 06:00, or 22:00-05:00)."),
    "bad_days": ("Ngày trong tuần “{value}” không hợp lệ: dùng daily, mon-sat, mon-fri, "
                 "weekend hoặc các chữ số 0–6 (0 là thứ Hai).",
                 "Days “{value}” are not valid: use daily, mon-sat, mon-fri, weekend or the "
                 "digits 0–6 (0 is Monday)."),
    "audio_asset_not_found": ("Không có tệp âm thanh số {id}.", "There is no audio file {id}."),
    "series_not_found": ("Không có buổi phát định kỳ số {id}.",
                         "There is no recurring session {id}."),
    "emergency_not_found": ("Không có lệnh phát khẩn cấp số {id}.",
                            "There is no emergency broadcast {id}."),
    "emergency_bad_repeat": ("Khoảng lặp lại {value} phút không hợp lệ (từ 1 đến 1440).",
                             "A repeat of {value} minutes is not valid (1 to 1440)."),
    "schedule_bad_change": ("Hãy chọn một thay đổi: hủy, dời giờ hoặc đổi thời lượng.",
                            "Choose a change: cancel, move or a new length."),
    "bulletin_updated": ("Đã cập nhật bản tin số {id}.", "Bulletin {id} updated."),
    "series_added": ("Đã thêm buổi phát định kỳ số {id}: {title}.",
                     "Recurring session {id} added: {title}."),
    "series_changed": ("Đã thay đổi buổi phát định kỳ số {id} ({day}).",
                       "Recurring session {id} changed ({day})."),
    "disabled": ("tạm dừng", "disabled"),
    "campaign_added": ("Đã thêm chiến dịch số {id}.", "Campaign {id} added."),
    "quiet_hours_none": ("Chưa đặt giờ yên lặng.", "No quiet hours are set."),
    "audio_added": ("Đã nhập tệp âm thanh số {id} ({duration}), đã chuẩn hóa độ to.",
                    "Audio file {id} imported ({duration}), loudness-matched."),
    "emergency_added": ("Đã ra lệnh phát khẩn cấp số {id} (người ra lệnh: {by}); bản tin phát "
                        "ngay, ngắt chương trình đang phát.",
                        "Emergency broadcast {id} ordered (by {by}); it plays now, "
                        "interrupting what is on air."),
    "emergency_cancelled": ("Đã dừng lặp lại lệnh phát khẩn cấp số {id}.",
                            "Emergency broadcast {id} stopped: it will not play again."),
    "emergency_no_playout": ("Cảnh báo: bộ phát đang không chạy. Hãy chạy “loaxa playout” "
                             "hoặc mở cửa sổ LoaXa để bản tin được phát.",
                             "Warning: playout is not running. Run “loaxa playout” or open "
                             "the LoaXa window so that the bulletin goes out."),
    "check_error": ("LỖI", "ERROR"),
    "check_warning": ("Cảnh báo", "Warning"),
    "check_summary": ("Đã kiểm tra từ {first} đến {last}: {errors} lỗi, {warnings} cảnh báo.",
                      "Checked {first} to {last}: {errors} error(s), {warnings} warning(s)."),
    "blocked_quiet": ("giờ yên lặng: không phát", "quiet hours: will not play"),
    "timeline_empty": ("Ngày {day} không có buổi phát nào.", "No sessions on {day}."),
    # window
    "app_title": ("LoaXa — Loa truyền thanh xã", "LoaXa — Commune loudspeakers"),
    "tab_bulletins": ("Bản tin", "Bulletins"),
    "tab_sessions": ("Buổi phát", "Sessions"),
    "tab_ahead": ("Hôm nay và ngày mai", "Today and tomorrow"),
    "tab_ahead_errors": ("{label} ({n} lỗi)", "{label} ({n} errors)"),
    "col_items": ("Nội dung phát", "Items"),
    "col_severity": ("Mức", "Severity"),
    "col_problem": ("Vấn đề", "Problem"),
    "tab_log": ("Nhật ký phát thanh", "Broadcast log"),
    "act_add_bulletin": ("Thêm bản tin…", "Add bulletin…"),
    "act_render": ("Tạo âm thanh", "Make audio"),
    "act_schedule": ("Lên lịch phát…", "Schedule…"),
    "act_export": ("Xuất nhật ký…", "Export log…"),
    "act_station": ("&Thông tin đài…", "&Station…"),
    "act_start_playout": ("&Khởi động bộ phát", "Start &playout"),
    "menu_file": ("&Tệp", "&File"),
    "menu_language": ("&Ngôn ngữ", "&Language"),
    "menu_quit": ("T&hoát", "&Quit"),
    "col_id": ("Mã", "ID"),
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
    "level_normal": ("thông thường", "normal"),
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
    "status_skipped": ("bị bỏ qua", "skipped"),
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
    "xlsx_files": ("Bảng tính Excel (*.xlsx)", "Excel workbook (*.xlsx)"),
    "pdf_files": ("Tài liệu PDF (*.pdf)", "PDF document (*.pdf)"),
    "dlg_station_title": ("Thông tin đài truyền thanh", "Station identity"),
    "lbl_commune": ("Tên xã/phường:", "Commune:"),
    "lbl_code": ("Mã đơn vị hành chính:", "Administrative code:"),
    "lbl_centre": ("Trung tâm nhận báo cáo:", "Reporting centre:"),
    "working_render": ("Đang tạo âm thanh…", "Making audio…"),
    "working_export": ("Đang xuất nhật ký…", "Exporting the log…"),
    "work_busy": ("Đang xử lý một việc khác; hãy đợi xong.", "Work is in progress; please wait."),
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
    "session_in_past": ("Lưu ý: thời điểm này đã qua; bộ phát sẽ phát ngay nếu chưa trễ quá "
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
    # schedule model (scheduler/schedule.py): invalid input
    "schedule_bad_length": ("Thời lượng {seconds} giây không hợp lệ (phải lớn hơn 0 và không "
                            "quá 24 giờ).",
                            "A length of {seconds} seconds is not valid (more than 0, at most "
                            "24 hours)."),
    "schedule_naive_time": ("Thời điểm “{value}” thiếu múi giờ.",
                            "The time “{value}” has no time zone."),
    "schedule_bad_item": ("Mục “{kind}” của buổi phát thiếu thông tin (bản tin, tệp âm thanh, "
                          "hoặc địa chỉ luồng và thời lượng tiếp sóng).",
                          "A “{kind}” item of the session is incomplete (bulletin, audio "
                          "file, or stream address and relay length)."),
    "schedule_bad_weekdays": ("Buổi phát “{title}” cần ít nhất một ngày trong tuần.",
                              "Session “{title}” needs at least one day of the week."),
    "schedule_bad_cap": ("Số lần phát tối đa mỗi ngày ({value}) phải từ 1 trở lên.",
                         "The maximum plays per day ({value}) must be at least 1."),
    "schedule_bad_quiet_hours": ("Giờ yên lặng {start}–{end} không hợp lệ (giờ bắt đầu và "
                                 "kết thúc phải khác nhau).",
                                 "Quiet hours {start}–{end} are not valid (start and end "
                                 "must differ)."),
    # schedule check (loaxa check, the window a day ahead)
    "check_session_empty": ("Buổi phát “{title}” lúc {start} không có gì để phát.",
                            "Session “{title}” at {start} has nothing to play."),
    "check_session_overlap": ("Buổi phát “{title}” lúc {start} bắt đầu khi buổi “{other}” "
                              "({other_start}) chưa hết giờ dự kiến ({other_end}).",
                              "Session “{title}” at {start} starts before session "
                              "“{other}” ({other_start}) is planned to end ({other_end})."),
    "check_runs_into_next": ("Các mục của buổi “{other}” ({other_start}) kéo dài đến "
                             "{other_end}, sau giờ bắt đầu của buổi “{title}” lúc {start}.",
                             "The items of session “{other}” ({other_start}) run until "
                             "{other_end}, past the start of session “{title}” at {start}."),
    "check_session_overrun": ("Buổi phát “{title}” lúc {start}: các mục dài {expected}, quá "
                              "thời lượng dự kiến {planned}.",
                              "Session “{title}” at {start}: its items last {expected}, longer "
                              "than the planned {planned}."),
    "check_not_rendered": ("Buổi phát “{title}” lúc {start}: bản tin số {bulletin} "
                           "“{item}” chưa được tạo âm thanh.",
                           "Session “{title}” at {start}: bulletin {bulletin} “{item}” has no "
                           "audio yet."),
    "check_file_missing": ("Buổi phát “{title}” lúc {start}: thiếu tệp âm thanh của mục "
                           "{position} “{item}”.",
                           "Session “{title}” at {start}: the audio file of item {position} "
                           "“{item}” is missing."),
    "check_bulletin_unknown": ("Buổi phát “{title}” lúc {start}: không có bản tin số "
                               "{bulletin}.",
                               "Session “{title}” at {start}: there is no bulletin "
                               "{bulletin}."),
    "check_audio_unknown": ("Buổi phát “{title}” lúc {start}: mục {position} không có tệp "
                            "âm thanh (số {audio}).",
                            "Session “{title}” at {start}: item {position} has no audio file "
                            "(number {audio})."),
    "check_fallback_not_rendered": ("Buổi phát “{title}” lúc {start}: bản tin dự phòng số "
                                    "{bulletin} “{item}” chưa được tạo âm thanh; nếu mất "
                                    "luồng tiếp sóng sẽ không có gì thay thế.",
                                    "Session “{title}” at {start}: the fallback bulletin "
                                    "{bulletin} “{item}” has no audio yet; if the relayed "
                                    "stream fails nothing replaces it."),
    "check_fallback_file_missing": ("Buổi phát “{title}” lúc {start}: thiếu tệp âm thanh dự "
                                    "phòng “{item}” của mục tiếp sóng.",
                                    "Session “{title}” at {start}: the fallback audio “{item}” "
                                    "of the relay is missing."),
    "check_fallback_bulletin_unknown": ("Buổi phát “{title}” lúc {start}: không có bản tin "
                                        "dự phòng số {bulletin}.",
                                        "Session “{title}” at {start}: there is no fallback "
                                        "bulletin {bulletin}."),
    "check_fallback_audio_unknown": ("Buổi phát “{title}” lúc {start}: không có tệp âm thanh "
                                     "dự phòng (số {audio}).",
                                     "Session “{title}” at {start}: there is no fallback audio "
                                     "file (number {audio})."),
    "check_relay_no_fallback": ("Buổi phát “{title}” lúc {start}: mục tiếp sóng {position} "
                                "không có nội dung dự phòng; nếu mất luồng, buổi phát chuyển "
                                "sang mục sau.",
                                "Session “{title}” at {start}: relay item {position} has no "
                                "fallback; if the stream fails the session moves on to the "
                                "next item."),
    "check_bulletin_expired": ("Buổi phát “{title}” lúc {start}: bản tin số {bulletin} "
                               "“{item}” chỉ có hiệu lực đến hết ngày {valid_until}, sẽ không "
                               "được phát.",
                               "Session “{title}” at {start}: bulletin {bulletin} “{item}” "
                               "was valid only until {valid_until} and is left out."),
    "check_bulletin_not_yet_valid": ("Buổi phát “{title}” lúc {start}: bản tin số {bulletin} "
                                     "“{item}” chỉ có hiệu lực từ ngày {valid_from}, không "
                                     "phát.",
                                     "Session “{title}” at {start}: bulletin {bulletin} "
                                     "“{item}” is valid only from {valid_from} and is left "
                                     "out."),
    "check_emergency_in_session": ("Buổi phát “{title}” lúc {start}: bản tin khẩn cấp số "
                                   "{bulletin} “{item}” không xếp lịch được; hãy phát bằng "
                                   "lệnh phát khẩn cấp.",
                                   "Session “{title}” at {start}: emergency bulletin "
                                   "{bulletin} “{item}” cannot be scheduled; trigger it as an "
                                   "emergency."),
    "check_quiet_hours_silenced": ("Buổi phát “{title}” lúc {start} nằm trong giờ yên lặng: "
                                   "không phát.",
                                   "Session “{title}” at {start} is inside quiet hours: it "
                                   "will not play."),
    "check_quiet_hours_cut": ("Buổi phát “{title}” lúc {start} kéo dài vào giờ yên lặng: "
                              "{count} mục từ mục {position} (khoảng {at}) sẽ không phát.",
                              "Session “{title}” at {start} runs into quiet hours: {count} "
                              "item(s) from item {position} (about {at}) will not play."),
    "check_campaign_no_session": ("Chiến dịch số {campaign} (bản tin số {bulletin}) không có "
                                  "buổi phát phù hợp ngày {day}: hôm đó bản tin không được "
                                  "phát.",
                                  "Campaign {campaign} (bulletin {bulletin}) has no matching "
                                  "session on {day}: the bulletin does not go out that day."),
    "check_change_orphan": ("Thay đổi cho buổi phát định kỳ số {series} ngày {day} không áp "
                            "dụng: hôm đó buổi này không phát.",
                            "The change to recurring session {series} on {day} does not apply: "
                            "that session does not run that day."),
    # log exports and the printable report
    "report_format_unsupported": ("Không lập được báo cáo dạng “{suffix}”; hãy dùng .pdf hoặc "
                                  ".xlsx.",
                                  "A report cannot be made as “{suffix}”; use .pdf or .xlsx."),
    "bad_month": ("Tháng “{value}” không đúng dạng NĂM-THÁNG (ví dụ 2026-11).",
                  "Month “{value}” is not YEAR-MONTH (for example 2026-11)."),
    "report_period_missing": ("Hãy chọn kỳ báo cáo: --month NĂM-THÁNG, hoặc --from và --to.",
                              "Choose the period: --month YEAR-MONTH, or --from and --to."),
    "font_missing": ("Thiếu phông chữ {path} ({reason}). Hãy cài lại LoaXa.",
                     "Font {path} is missing ({reason}). Reinstall LoaXa."),
    "xlsx_too_many_rows": ("Khoảng thời gian này có {count} mục nhật ký, quá {limit} dòng "
                           "của một trang Excel. Hãy chọn khoảng ngắn hơn hoặc xuất ra .csv.",
                           "This range has {count} log entries, more than the {limit} rows "
                           "of an Excel sheet. Choose a shorter range or export to .csv."),
    "report_written": ("Đã lập báo cáo {period} ({entries} mục nhật ký), lưu tại {path}.",
                       "Wrote the report for {period} ({entries} log entries) to {path}."),
}

# The tamper-evident log: station key, packages, verification, centre mode.
_KEY_RECOVERY_VI = ("Hãy chép lại tệp station-key.pem từ bản sao lưu vào thư mục dữ liệu. Nếu "
                    "khóa đã mất hẳn: loaxa station new-key --confirm (đài có danh tính mới; "
                    "báo trung tâm đăng ký lại dấu vân tay mới). Việc phát và ghi nhật ký vẫn "
                    "tiếp tục.")
_KEY_RECOVERY_EN = ("Copy station-key.pem back from a backup into the data folder. If the key "
                    "is lost for good: loaxa station new-key --confirm (the station gets a new "
                    "identity; ask the centre to register the new fingerprint). Playout and "
                    "the log go on meanwhile.")
MESSAGES.update({
    "station_key_missing": (
        "Không tìm thấy khóa ký của đài ({path}) dù cơ sở dữ liệu đã ghi khóa công khai của "
        "đài. " + _KEY_RECOVERY_VI,
        "The station's signing key ({path}) is missing although the database records the "
        "station's public key. " + _KEY_RECOVERY_EN),
    "station_key_corrupt": (
        "Tệp khóa ký của đài bị hỏng hoặc không phải khóa Ed25519: {path}. " + _KEY_RECOVERY_VI,
        "The station's key file is damaged or not an Ed25519 key: {path}. " + _KEY_RECOVERY_EN),
    "station_key_mismatch": (
        "Tệp khóa {path} (dấu vân tay {file}) không phải khóa của cơ sở dữ liệu này (dấu vân "
        "tay {database}). " + _KEY_RECOVERY_VI,
        "The key file {path} (fingerprint {file}) is not the key of this database "
        "(fingerprint {database}). " + _KEY_RECOVERY_EN),
    "station_key_unset": ("Đài chưa có khóa ký.", "The station has no signing key yet."),
    "lbl_station_fingerprint": ("Dấu vân tay khóa của đài", "Station key fingerprint"),
    "station_key_show": ("Dấu vân tay khóa của đài: {fingerprint}\nMã đài: {station_id}\n"
                         "Khóa công khai: {public_key}",
                         "Station key fingerprint: {fingerprint}\nStation id: {station_id}\n"
                         "Public key: {public_key}"),
    "station_key_problem": ("Khóa ký của đài: {problem}", "Station key: {problem}"),
    "station_new_key_confirm": (
        "Lệnh này tạo khóa ký mới: đài có danh tính mới, trung tâm phải đăng ký lại. Chỉ dùng "
        "khi khóa cũ đã mất hẳn. Chạy lại với --confirm để thực hiện.",
        "This makes a new signing key: the station gets a new identity the centre must "
        "register again. Use it only when the old key is lost for good. Run again with "
        "--confirm to do it."),
    "station_new_key_done": ("Đã tạo khóa ký mới. Gửi dấu vân tay mới cho trung tâm:",
                             "New signing key made. Send the new fingerprint to the centre:"),
    "log_entry_sealed": ("Mục nhật ký số {id} đã được niêm phong (số thứ tự {seq}): không thể "
                         "sửa; hãy ghi một mục đính chính.",
                         "Log entry {id} is sealed (seq {seq}): it cannot change; add a "
                         "correction instead."),
    "log_seq_not_found": ("Không có mục nhật ký đã niêm phong số thứ tự {seq}.",
                          "There is no sealed log entry with seq {seq}."),
    "log_correction_status": ("Mục đính chính cần trạng thái cuối (không phải “{status}”).",
                              "A correction needs a final status (not “{status}”)."),
    "log_correction_note": ("Mục đính chính cần ghi chú lý do.",
                            "A correction needs a note saying why."),
    "log_corrected": ("Đã ghi mục đính chính số thứ tự {seq} cho mục số thứ tự {corrects}.",
                      "Correction recorded as seq {seq}, correcting seq {corrects}."),
    "log_chain_gap": ("Nhật ký trong cơ sở dữ liệu thiếu mục số thứ tự {seq}: không tạo "
                      "được gói nhật ký.",
                      "The log in the database lacks seq {seq}: no package written."),
    "log_chain_broken": (
        "Mục nhật ký số thứ tự {seq} trong cơ sở dữ liệu đã bị thay đổi ngoài LoaXa (chuỗi "
        "băm không khớp): không tạo được gói nhật ký.",
        "Log entry seq {seq} in the database was changed outside LoaXa (the hash chain does "
        "not match): no package written."),
    "log_other_key": (
        "Mục số thứ tự {seq} được niêm phong bằng khóa cũ (mã đài {station}): hãy chọn khoảng "
        "ngày sau khi đổi khóa.",
        "Entry seq {seq} was sealed under an earlier key (station id {station}): choose dates "
        "after the key change."),
    "package_written": ("Đã ghi gói nhật ký có chữ ký: {count} mục (số thứ tự {first}–{last}) "
                        "vào {path}.",
                        "Signed log package written: {count} entries (seq {first}–{last}) "
                        "to {path}."),
    "package_written_empty": ("Không có mục nhật ký nào trong những ngày này; đã ghi gói rỗng có "
                              "chữ ký vào {path}.",
                              "No log entry on those days; an empty signed package was written "
                              "to {path}."),
    "package_ok": (
        "GÓI HỢP LỆ: chữ ký và chuỗi băm đúng.\nXã: {commune} (mã {code})\nMã đài: "
        "{station}\nDấu vân tay: {fingerprint}\nKhoảng ngày: {range_from} đến {range_to}\n"
        "Số mục: {count} (số thứ tự {first}–{last})",
        "PACKAGE VALID: signature and hash chain are correct.\nCommune: {commune} (code "
        "{code})\nStation id: {station}\nFingerprint: {fingerprint}\nDays: {range_from} to "
        "{range_to}\nEntries: {count} (seq {first}–{last})"),
    "package_invalid": ("GÓI KHÔNG HỢP LỆ: {reason}", "PACKAGE INVALID: {reason}"),
    "package_not_utf8": ("tệp không phải UTF-8 (byte lỗi ở vị trí {position}, dòng {line}).",
                         "the file is not UTF-8 (bad byte at position {position}, line {line})."),
    "package_bad_layout": ("bố cục tệp sai ở dòng {line} (thiếu dòng, thiếu ký tự xuống dòng "
                           "cuối, hoặc không phải gói nhật ký).",
                           "wrong layout at line {line} (missing lines, no final newline, or "
                           "not a log package)."),
    "package_bad_header": ("phần đầu gói (dòng 1) sai hoặc đã bị sửa: trường {field}.",
                           "the header (line 1) is wrong or was changed: field {field}."),
    "package_version": ("phiên bản định dạng {version} không được hỗ trợ.",
                        "format version {version} is not supported."),
    "package_count_mismatch": ("phần đầu ghi {expected} mục nhưng gói có {found}.",
                               "the header says {expected} entries but the package has "
                               "{found}."),
    "package_bad_entry": ("mục số thứ tự {seq} (dòng {line}) sai hoặc đã bị sửa: trường "
                          "{field}.",
                          "entry seq {seq} (line {line}) is wrong or was changed: field "
                          "{field}."),
    "package_chain_broken": ("chuỗi băm đứt tại mục số thứ tự {seq} (dòng {line}): mục trước "
                             "đó đã bị sửa, xóa hoặc chèn.",
                             "the hash chain breaks at entry seq {seq} (line {line}): an entry "
                             "before it was changed, removed or inserted."),
    "package_hash_mismatch": ("mục số thứ tự {seq} (dòng {line}) đã bị sửa (mã băm không khớp).",
                              "entry seq {seq} (line {line}) was changed (its hash does not "
                              "match)."),
    "package_bad_signature_line": ("dòng chữ ký (dòng {line}) sai.",
                                   "the signature line (line {line}) is wrong."),
    "package_bad_signature": ("chữ ký không hợp lệ: gói đã bị sửa hoặc không do khóa này ký.",
                              "the signature is not valid: the package was changed or not "
                              "signed by this key."),
    "package_too_big": ("tệp {path} quá lớn ({size} byte).", "{path} is too big ({size} bytes)."),
    "centre_bad_key": ("“{source}” không phải khóa công khai (64 chữ số hex) hay tệp gói nhật ký.",
                       "“{source}” is neither a public key (64 hex digits) nor a log package "
                       "file."),
    "centre_name_required": ("Cần tên xã (--name).", "The commune's name is needed (--name)."),
    "centre_registered": ("Đã đăng ký {commune}: mã đài {station}, dấu vân tay {fingerprint}. "
                          "Hãy đối chiếu dấu vân tay với xã (lệnh loaxa station show ở xã).",
                          "Registered {commune}: station id {station}, fingerprint "
                          "{fingerprint}. Compare the fingerprint with the commune's (loaxa "
                          "station show there)."),
    "centre_unregistered": ("đài {station} ({commune}, dấu vân tay {fingerprint}) chưa được "
                            "đăng ký ở trung tâm với khóa này.",
                            "station {station} ({commune}, fingerprint {fingerprint}) is not "
                            "registered at the centre with this key."),
    "centre_conflict": ("mục số thứ tự {seq} khác với mục cùng số đã nhận trước đây.",
                        "entry seq {seq} differs from the entry with that seq received "
                        "before."),
    "centre_chain_mismatch": ("gói không nối khớp với mục số thứ tự {seq} đã nhận trước đây.",
                              "the package does not link to entry seq {seq} received before."),
    "centre_store_failed": ("cơ sở dữ liệu của trung tâm không lưu được gói: {reason}",
                            "the centre's database could not store the package: {reason}"),
    "centre_imported": ("{path}: đã nhận {added} mục mới của {commune} ({already} mục đã có).",
                        "{path}: {added} new entries of {commune} stored ({already} already "
                        "there)."),
    "centre_refused": ("{path}: TỪ CHỐI, không lưu gì: {reason}",
                       "{path}: REFUSED, nothing stored: {reason}"),
    "centre_list_empty": ("Chưa đăng ký xã nào.", "No commune registered yet."),
    "centre_list_row": ("{commune} | mã {code} | đài {station} | {count} mục | số thứ tự cuối "
                        "{last} (liên tục đến {contiguous}) | {fingerprint}",
                        "{commune} | code {code} | station {station} | {count} entries | last "
                        "seq {last} (complete to {contiguous}) | {fingerprint}"),
})

# The outbox: pushing the log to the centre's database (loaxa centre push).
MESSAGES.update({
    "centre_url_unset": (
        "Chưa đặt cơ sở dữ liệu của trung tâm: ghi centre_database_url trong tệp cài đặt "
        "(hoặc dùng --url). Không có mạng thì gửi gói nhật ký (loaxa log package).",
        "The centre's database is not set: put centre_database_url in the settings file (or "
        "use --url). Without a network, send a log package (loaxa log package)."),
    "centre_bad_url": ("Địa chỉ cơ sở dữ liệu của trung tâm không hợp lệ: {url}",
                       "The centre's database address is not valid: {url}"),
    "centre_unreachable": (
        "Không kết nối được cơ sở dữ liệu của trung tâm ({url}): {reason}. Không mất gì: "
        "nhật ký vẫn ở máy này và sẽ được gửi lần sau khi có mạng.",
        "Cannot reach the centre's database ({url}): {reason}. Nothing is lost: the log "
        "stays on this computer and is sent next time the network is up."),
    "centre_not_ready": (
        "Cơ sở dữ liệu {url} chưa phải cơ sở dữ liệu trung tâm của LoaXa (thiếu bảng). Trung "
        "tâm cần chạy LoaXa một lần với LOAXA_DATABASE_URL trỏ tới cơ sở dữ liệu này.",
        "The database {url} is not a LoaXa centre database yet (tables missing). The centre "
        "runs LoaXa once with LOAXA_DATABASE_URL pointing at it."),
    "push_bad_entry": ("mục số thứ tự {seq} sai: trường {field}; không lưu mục nào của đợt "
                       "gửi này.",
                       "entry seq {seq} is wrong: field {field}; nothing of this batch was "
                       "stored."),
    "push_chain_broken": (
        "mục số thứ tự {seq} đã bị sửa ngoài LoaXa hoặc không nối chuỗi băm; trung tâm từ "
        "chối, không lưu mục nào của đợt gửi này.",
        "entry seq {seq} was changed outside LoaXa or does not link into the hash chain; "
        "the centre refused it and stored nothing of this batch."),
    "centre_ahead": (
        "Trung tâm đã có nhật ký của đài này đến số thứ tự {centre_seq} nhưng máy này chỉ có "
        "đến {local_seq}: cơ sở dữ liệu ở đây có lẽ đã được khôi phục từ bản sao cũ. Không "
        "gửi gì; hãy khôi phục bản sao lưu mới nhất hoặc báo trung tâm.",
        "The centre holds this station's log up to seq {centre_seq} but this computer only "
        "up to {local_seq}: the database here was probably restored from an older copy. "
        "Nothing sent; restore the newest backup or tell the centre."),
    "push_done": ("Đã gửi {sent} mục nhật ký mới tới trung tâm ({commune}, {already} mục "
                  "trung tâm đã có). Số thứ tự cuối ở trung tâm: {last}.",
                  "Sent {sent} new log entries to the centre ({commune}; {already} it already "
                  "had). Last seq at the centre: {last}."),
    "push_failed": ("Không gửi được nhật ký tới trung tâm: {reason}",
                    "Pushing the log to the centre failed: {reason}"),
    "push_every": ("Gửi nhật ký tới trung tâm mỗi {minutes} phút; nhấn Ctrl+C để dừng.",
                   "Pushing the log to the centre every {minutes} minutes; Ctrl+C stops."),
    "push_stopped": ("Đã dừng gửi nhật ký.", "Pushing stopped."),
})

# The centre's consolidated report (loaxa centre report).
MESSAGES.update({
    "centre_report_format_unsupported": (
        "Không lập được báo cáo tổng hợp dạng “{suffix}”; hãy dùng .pdf, .xlsx hoặc .csv.",
        "A consolidated report cannot be made as “{suffix}”; use .pdf, .xlsx or .csv."),
    "centre_commune_unknown": (
        "Trung tâm không có xã, phường nào có mã, mã đài hoặc tên “{commune}”. Xem danh sách "
        "bằng lệnh: loaxa centre list",
        "The centre has no commune whose code, station id or name is “{commune}”. See the "
        "list with: loaxa centre list"),
    "centre_no_communes": (
        "Trung tâm chưa đăng ký xã, phường nào nên chưa lập được báo cáo tổng hợp. Đăng ký "
        "bằng lệnh: loaxa centre register KHÓA --name \"Xã …\"",
        "The centre has no commune registered yet, so there is nothing to report. Register "
        "one with: loaxa centre register KEY --name \"Xã …\""),
    "report_period_both": (
        "Hãy chọn kỳ báo cáo bằng --month hoặc bằng --from và --to, không dùng cả hai.",
        "Choose the period with --month or with --from and --to, not both."),
    "centre_report_written": (
        "Đã lập báo cáo tổng hợp {period} vào {path}: {reporting}/{communes} xã, phường đã "
        "gửi nhật ký ({entries} mục).",
        "Wrote the consolidated report for {period} to {path}: {reporting} of {communes} "
        "communes sent their log ({entries} entries)."),
    "centre_report_silent": (
        "Các xã, phường không gửi nhật ký trong kỳ: {names}.",
        "Communes that sent nothing for the period: {names}."),
})


# The Bulletins view (app/gui/views/bulletins.py): library, editor, import, preview.
MESSAGES.update({
    "doc_old_format": (
        "{path} là tệp Word cũ (.doc). Hãy mở trong Word và lưu thành .docx (Tệp → Lưu thành "
        "→ Tài liệu Word), hoặc lưu thành văn bản .txt mã hóa UTF-8. Chưa lưu gì.",
        "{path} is an old Word file (.doc). Open it in Word and save it as .docx (File → Save "
        "as → Word Document), or as UTF-8 .txt text. Nothing was stored."),
    "docx_encrypted": (
        "{path} được đặt mật khẩu nên không đọc được. Hãy bỏ mật khẩu trong Word (Tệp → Thông "
        "tin → Bảo vệ tài liệu) rồi nhập lại. Chưa lưu gì.",
        "{path} is password-protected and cannot be read. Remove the password in Word (File → "
        "Info → Protect Document) and import it again. Nothing was stored."),
    "docx_broken": (
        "Tệp {path} bị hỏng hoặc không phải tệp Word .docx ({reason}). Hãy mở trong Word và lưu "
        "lại. Chưa lưu gì.",
        "{path} is damaged or not a Word .docx file ({reason}). Open it in Word and save it "
        "again. Nothing was stored."),
    "lexicon_entry_empty": ("Hãy nhập cả cách viết và cách đọc.",
                            "Type both how it is written and how it is said."),
    "lexicon_entry_long": ("Mục từ điển quá dài (tối đa {limit} ký tự).",
                           "The lexicon entry is too long (at most {limit} characters)."),
    "col_category": ("Lĩnh vực", "Category"),
    "col_document_ref": ("Số văn bản", "Document"),
    "col_issuing_body": ("Cơ quan ban hành", "Issued by"),
    "col_validity": ("Hiệu lực", "Valid"),
    "col_approval": ("Phê duyệt", "Approval"),
    "approval_yes": ("Đã duyệt", "Approved"),
    "approval_no": ("Chưa duyệt", "Not approved"),
    "act_approve": ("Duyệt / &bỏ duyệt phát", "Approve / &withdraw"),
    "audio_state_none": ("chưa có", "none yet"),
    "audio_state_current": ("đã có", "ready"),
    "audio_state_stale": ("cần tạo lại", "out of date"),
    "audio_state_unknown": ("đang kiểm tra…", "checking…"),
    "validity_valid": ("còn hiệu lực", "valid"),
    "validity_expired": ("hết hiệu lực", "expired"),
    "validity_upcoming": ("chưa có hiệu lực", "not yet valid"),
    "filter_validity_any": ("Mọi thời hạn", "Any validity"),
    "filter_validity_valid": ("Còn hiệu lực hôm nay", "Valid today"),
    "filter_validity_expired": ("Đã hết hiệu lực", "Expired"),
    "filter_validity_upcoming": ("Chưa đến ngày hiệu lực", "Upcoming"),
    "filter_all_levels": ("Mọi mức", "All levels"),
    "filter_all_audio": ("Mọi trạng thái âm thanh", "Any audio"),
    "filter_all_categories": ("Mọi lĩnh vực", "All categories"),
    "filter_all_issuers": ("Mọi cơ quan ban hành", "All issuers"),
    "lbl_search": ("Tìm &kiếm:", "&Search:"),
    "search_placeholder": ("Tìm trong tiêu đề và nội dung (gõ không dấu cũng được)",
                           "Search titles and text (accents optional)"),
    "lbl_filters": ("&Lọc:", "&Filter:"),
    "btn_clear_filters": ("Bỏ lọc", "Clear filters"),
    "n_bulletins_shown": ("Hiển thị {shown} / {total} bản tin", "Showing {shown} of {total} "
                          "bulletins"),
    "act_new_bulletin": ("Bản tin &mới", "&New bulletin"),
    "act_edit_bulletin": ("&Sửa", "&Edit"),
    "act_import_bulletin": ("Nhập từ tệ&p…", "&Import file…"),
    "act_search": ("Tìm", "Search"),
    "act_play": ("Nghe thử", "Listen"),
    "btn_play": ("▶ Nghe t&hử", "▶ &Listen"),
    "btn_stop": ("■ &Dừng", "■ S&top"),
    "tip_play": ("Nghe thử trên loa máy tính (phím cách). Đây không phải phát lên loa xã.",
                 "Listen on this PC's speakers (Space). This is not the broadcast."),
    "btn_cancel_render": ("Hủ&y tạo âm thanh", "&Cancel"),
    "working_render_pct": ("Đang tạo âm thanh… %p%", "Making audio… %p%"),
    "render_cancelled": ("Đã hủy tạo âm thanh; âm thanh cũ (nếu có) vẫn giữ nguyên.",
                         "Making the audio was cancelled; the previous audio (if any) is kept."),
    "waveform_no_audio": ("Chưa có âm thanh: nhấn Tạo âm thanh (Ctrl+R).",
                          "No audio yet: press Make audio (Ctrl+R)."),
    "waveform_loading": ("Đang đọc âm thanh…", "Reading the audio…"),
    "preview_need_audio": ("Hãy chọn một bản tin đã có âm thanh.",
                           "Select a bulletin that has audio."),
    "preview_opening": ("Đang mở loa máy tính…", "Opening the speakers…"),
    "preview_no_device": (
        "Máy tính này không có thiết bị phát âm thanh (loa, tai nghe), nên không nghe thử được. "
        "Hãy cắm loa hoặc kiểm tra cài đặt âm thanh của Windows.",
        "This computer has no audio output (speakers, headphones), so the preview cannot "
        "play. Plug in speakers or check Windows sound settings."),
    "preview_failed": ("Không nghe thử được: {reason}", "The preview could not play: {reason}"),
    "dlg_new_bulletin": ("Bản tin mới", "New bulletin"),
    "dlg_edit_bulletin": ("Sửa bản tin", "Edit bulletin"),
    "lbl_title_m": ("&Tiêu đề:", "&Title:"),
    "lbl_level_m": ("&Mức:", "&Level:"),
    "lbl_category_m": ("&Lĩnh vực:", "&Category:"),
    "lbl_document_ref_m": ("Số &văn bản:", "&Document:"),
    "lbl_issuing_body_m": ("Cơ quan &ban hành:", "&Issued by:"),
    "lbl_validity": ("Hiệu lực:", "Valid:"),
    "lbl_valid_from": ("từ &ngày", "&from"),
    "lbl_valid_until": ("đến ngà&y", "&until"),
    "lbl_spoken_form": ("&Cách đọc (chỗ đọc khác chữ viết được tô màu):",
                        "&Spoken form (what is read differently is highlighted):"),
    "n_expansions": ("{n} chỗ được đọc khác chữ viết", "{n} places read differently"),
    "btn_import_file": ("Nhập từ tệ&p (.txt, .docx)…", "Import &file (.txt, .docx)…"),
    "bulletin_files": ("Văn bản (*.txt *.docx);;Mọi tệp (*)",
                       "Text and Word files (*.txt *.docx);;All files (*)"),
    "btn_add_lexicon": ("Thêm vào từ điển &riêng…", "Add to le&xicon…"),
    "tip_add_lexicon": ("Bôi đen một từ trong nội dung rồi bấm nút này (Ctrl+L) để dạy "
                        "cách đọc từ đó.",
                        "Select a word in the text and press this (Ctrl+L) to teach how it "
                        "is read."),
    "select_word_first": ("Hãy bôi đen từ cần dạy cách đọc trong nội dung bản tin.",
                          "Select the word to teach in the bulletin text first."),
    "dlg_lexicon_title": ("Thêm vào từ điển riêng của xã", "Add to the commune's lexicon"),
    "lexicon_hint": ("Từ này sẽ luôn được đọc theo cách bên dưới trong mọi bản tin. Bản tin "
                     "có từ này sẽ cần tạo lại âm thanh.",
                     "This word will always be read as below, in every bulletin. Bulletins "
                     "containing it will need their audio made again."),
    "lbl_written": ("&Viết là:", "&Written:"),
    "lbl_spoken": ("Đọc &là:", "&Said as:"),
    "btn_save": ("Lư&u", "&Save"),
    "text_changed_new": (
        "Nội dung đã thay đổi: sẽ lưu thành một bản tin mới (bản cũ vẫn giữ nguyên trong các "
        "buổi phát và nhật ký). Tiếp tục?",
        "The text changed: it will be saved as a new bulletin (the old one stays as it is in "
        "sessions and the log). Continue?"),
})
# The window shell: views menu, tray, single instance, start with Windows, screenshots.
MESSAGES.update({
    "menu_view": ("&Xem", "&View"),
    "act_autostart": ("Khởi động cùng &Windows", "Start with &Windows"),
    "act_open_window": ("&Mở cửa sổ LoaXa", "&Open the LoaXa window"),
    "tray_hidden_title": ("LoaXa vẫn đang chạy", "LoaXa is still running"),
    "tray_hidden": ("Cửa sổ đã thu vào khay hệ thống (góc dưới bên phải). Bộ phát vẫn phát "
                    "đúng lịch. Nhấn vào biểu tượng loa để mở lại; muốn tắt hẳn cửa sổ thì "
                    "chọn Thoát.",
                    "The window went to the system tray (bottom right). Playout goes on as "
                    "scheduled. Click the loudspeaker icon to open it again; to close the "
                    "window for good, choose Quit."),
    "autostart_failed": ("Không đặt được khởi động cùng Windows: {reason}",
                         "Cannot change starting with Windows: {reason}"),
    "window_not_answering": ("LoaXa đã mở nhưng cửa sổ không phản hồi. Hãy đợi một lát rồi "
                             "thử lại, hoặc khởi động lại máy.",
                             "LoaXa is already open but its window does not answer. Wait a "
                             "moment and try again, or restart the computer."),
    "screenshots_written": ("Đã lưu {n} ảnh màn hình vào {path}.",
                            "Wrote {n} screenshots to {path}."),
})

# Qt's own words (standard buttons, text-field menus) that Qt ships no Vietnamese for:
# (Qt context, Qt's English source text) → Vietnamese. They go into resources/i18n/*.ts
# (tools/i18n_ts.py) and reach Qt through a QTranslator.
QT_MESSAGES_VI: dict[tuple[str, str], str] = {
    ("QPlatformTheme", "OK"): "Đồng ý",
    ("QPlatformTheme", "Save"): "Lưu",
    ("QPlatformTheme", "Save All"): "Lưu tất cả",
    ("QPlatformTheme", "Open"): "Mở",
    ("QPlatformTheme", "&Yes"): "&Có",
    ("QPlatformTheme", "Yes to &All"): "Có cho &tất cả",
    ("QPlatformTheme", "&No"): "&Không",
    ("QPlatformTheme", "N&o to All"): "Không c&ho tất cả",
    ("QPlatformTheme", "Abort"): "Dừng hẳn",
    ("QPlatformTheme", "Retry"): "Thử lại",
    ("QPlatformTheme", "Ignore"): "Bỏ qua",
    ("QPlatformTheme", "Close"): "Đóng",
    ("QPlatformTheme", "Cancel"): "Hủy bỏ",
    ("QPlatformTheme", "Discard"): "Không lưu",
    ("QPlatformTheme", "Help"): "Trợ giúp",
    ("QPlatformTheme", "Apply"): "Áp dụng",
    ("QPlatformTheme", "Reset"): "Đặt lại",
    ("QPlatformTheme", "Restore Defaults"): "Khôi phục mặc định",
    ("QMessageBox", "Show Details..."): "Xem chi tiết…",
    ("QMessageBox", "Hide Details..."): "Ẩn chi tiết…",
    ("QLineEdit", "&Undo"): "&Hoàn tác",
    ("QLineEdit", "&Redo"): "&Làm lại",
    ("QLineEdit", "Cu&t"): "&Cắt",
    ("QLineEdit", "&Copy"): "&Sao chép",
    ("QLineEdit", "&Paste"): "&Dán",
    ("QLineEdit", "Delete"): "Xóa",
    ("QLineEdit", "Select All"): "Chọn tất cả",
    ("QWidgetTextControl", "&Undo"): "&Hoàn tác",
    ("QWidgetTextControl", "&Redo"): "&Làm lại",
    ("QWidgetTextControl", "Cu&t"): "&Cắt",
    ("QWidgetTextControl", "&Copy"): "&Sao chép",
    ("QWidgetTextControl", "&Paste"): "&Dán",
    ("QWidgetTextControl", "Delete"): "Xóa",
    ("QWidgetTextControl", "Select All"): "Chọn tất cả",
    ("QWidgetTextControl", "Copy &Link Location"): "Sao chép địa chỉ liên &kết",
    ("QAbstractSpinBox", "&Step up"): "&Tăng",
    ("QAbstractSpinBox", "Step &down"): "&Giảm",
    ("QAbstractSpinBox", "&Select All"): "&Chọn tất cả",
}

# People and safety: users, PINs, approval for air, the audit trail (issue 6).
MESSAGES.update({
    "login_required": (
        "Việc này ({action}) cần đăng nhập: trạm đã có người dùng. Dòng lệnh: thêm --as TÊN "
        "(mã PIN được hỏi, hoặc lấy từ biến LOAXA_PIN).",
        "This ({action}) needs a login: the station has users. Command line: add --as NAME "
        "(the PIN is asked, or taken from LOAXA_PIN)."),
    "permission_denied": (
        "Người dùng {user} không được {action}; việc này cần vai trò: {roles}.",
        "User {user} may not do this ({action}); it needs the role: {roles}."),
    "pin_bad": (
        "Mã PIN phải gồm 4–8 chữ số, hoặc là một cụm mật khẩu dài 8–128 ký tự.",
        "The PIN must be 4–8 digits, or a passphrase of 8–128 characters."),
    "pin_wrong": ("Mã PIN cũ không đúng; chưa đổi gì.", "The old PIN is wrong; nothing changed."),
    "pin_mismatch": ("Hai lần nhập mã PIN không giống nhau; chưa lưu gì.",
                     "The two PINs typed differ; nothing was stored."),
    "pin_needed": (
        "Cần mã PIN nhưng không có bàn phím để hỏi: đặt biến môi trường LOAXA_PIN (mã PIN "
        "mới: LOAXA_NEW_PIN).",
        "A PIN is needed but there is no keyboard to ask on: set LOAXA_PIN (a new PIN: "
        "LOAXA_NEW_PIN)."),
    "user_needed": (
        "Cần tên người dùng: thêm --as TÊN (hoặc đặt biến LOAXA_USER).",
        "A user name is needed: add --as NAME (or set LOAXA_USER)."),
    "user_bad_role": ("Không có vai trò “{role}”. Các vai trò: operator, approver, admin.",
                      "There is no role “{role}”. Roles: operator, approver, admin."),
    "user_bad_name": ("Tên đăng nhập “{name}” không hợp lệ (1–40 ký tự, không ký tự điều "
                      "khiển).",
                      "The login name “{name}” is not valid (1–40 characters, no control "
                      "characters)."),
    "user_name_reserved": ("Tên “{name}” dành cho hệ thống; hãy chọn tên khác.",
                           "The name “{name}” is reserved; choose another."),
    "user_not_found": ("Không có người dùng “{name}”.", "There is no user “{name}”."),
    "user_exists": ("Đã có người dùng “{name}”.", "User “{name}” already exists."),
    "user_no_role": ("Người dùng cần ít nhất một vai trò.", "A user needs at least one role."),
    "first_user_admin": (
        "Người dùng đầu tiên phải là quản trị (--role admin): chỉ quản trị mới thêm được "
        "người khác.",
        "The first user must be an admin (--role admin): only an admin can add others."),
    "last_admin": (
        "“{name}” là quản trị cuối cùng còn hoạt động: không thể vô hiệu hóa hay bỏ vai trò "
        "quản trị. Hãy thêm một quản trị khác trước.",
        "“{name}” is the last active admin: this account cannot be disabled or lose the admin "
        "role. "
        "Add another admin first."),
    "login_failed": ("Tên đăng nhập hoặc mã PIN không đúng.", "Wrong user name or PIN."),
    "user_locked": (
        "Tài khoản {name} bị khóa tạm thời do nhập sai mã PIN nhiều lần, đến {until} (giờ "
        "Việt Nam). Quản trị có thể đặt lại mã PIN để mở khóa ngay.",
        "The account {name} is locked after repeated wrong PINs until {until} (Vietnam "
        "time). An admin can reset the PIN to unlock it now."),
    "user_disabled": ("Tài khoản {name} đã bị quản trị viên vô hiệu hóa.",
                      "The account {name} has been disabled by an admin."),
    # the log and the day-ahead check
    "not_approved": ("bản tin chưa được duyệt phát", "the bulletin is not approved for air"),
    "check_not_approved": (
        "Buổi phát “{title}” lúc {start}: bản tin số {bulletin} “{item}” chưa được duyệt phát "
        "(sẽ bị bỏ qua). Người có vai trò duyệt phát chạy lệnh: loaxa bulletin approve "
        "{bulletin}.",
        "Session “{title}” at {start}: bulletin {bulletin} “{item}” is not approved for air "
        "(it will be skipped). An approver runs: loaxa bulletin approve {bulletin}."),
    "check_fallback_not_approved": (
        "Buổi phát “{title}” lúc {start}: bản tin dự phòng số {bulletin} “{item}” chưa được "
        "duyệt phát.",
        "Session “{title}” at {start}: the fallback bulletin {bulletin} “{item}” is not "
        "approved for air."),
    # roles
    "role_operator": ("người soạn và lên lịch", "operator"),
    "role_approver": ("người duyệt phát", "approver"),
    "role_admin": ("quản trị", "admin"),
    # command line
    "user_added": ("Đã thêm người dùng {name} (vai trò: {roles}).",
                   "User {name} added (roles: {roles})."),
    "user_first_added": (
        "Đây là người dùng đầu tiên: từ giờ mọi thay đổi cần đăng nhập, và bản tin mới cần "
        "người duyệt trước khi phát.",
        "This is the first user: from now on every change needs a login, and new bulletins "
        "need an approver before they go on air."),
    "user_pin_done": ("Đã đặt mã PIN mới cho {name}.", "New PIN set for {name}."),
    "user_enabled_done": ("Đã kích hoạt lại tài khoản {name}.", "Account {name} enabled."),
    "user_disabled_done": ("Đã vô hiệu hóa tài khoản {name}.", "Account {name} disabled."),
    "user_roles_done": ("Vai trò của {name}: {roles}.", "Roles of {name}: {roles}."),
    "users_none": (
        "Chưa có người dùng: trạm đang ở chế độ một người (mọi việc được phép, ghi là "
        "“system”). Tạo quản trị đầu tiên: loaxa user add TÊN --role admin",
        "No users yet: the station is in single-user setup (everything is allowed, recorded "
        "as “system”). Create the first admin: loaxa user add NAME --role admin"),
    "user_state_locked": ("khóa đến {until}", "locked until {until}"),
    "user_state_disabled": ("đã vô hiệu hóa", "disabled"),
    "user_state_active": ("hoạt động", "active"),
    "prompt_user": ("Tên đăng nhập: ", "User name: "),
    "prompt_pin": ("Mã PIN của {name}: ", "PIN of {name}: "),
    "prompt_new_pin": ("Mã PIN mới cho {name} (4–8 chữ số hoặc cụm mật khẩu): ",
                       "New PIN for {name} (4–8 digits or a passphrase): "),
    "prompt_new_pin_again": ("Nhập lại mã PIN mới: ", "Type the new PIN again: "),
    "bulletin_approved_done": ("Đã duyệt phát bản tin số {id} ({by}).",
                               "Bulletin {id} approved for air ({by})."),
    "bulletin_unapproved_done": ("Đã bỏ duyệt bản tin số {id}: bản tin sẽ không được phát "
                                 "đến khi được duyệt lại.",
                                 "Bulletin {id} unapproved: it will not go on air until "
                                 "approved again."),
    "approval_approved": ("đã duyệt ({by}, {at})", "approved ({by}, {at})"),
    "approval_draft": ("chưa duyệt", "not approved"),
    "audit_written": ("Đã ghi {count} sự kiện nhật ký thao tác vào {path}",
                      "{count} audit events written to {path}"),
    "audit_csv_header": ("Thời điểm (giờ VN)|Thời điểm (UTC)|Người thực hiện|Hành động|"
                         "Đối tượng|Chi tiết",
                         "Time (Vietnam)|Time (UTC)|By|Action|Target|Details"),
    # the window: login and users
    "login_title": ("Đăng nhập LoaXa", "Log in to LoaXa"),
    "login_user": ("&Tên đăng nhập:", "&User name:"),
    "login_pin": ("&Mã PIN:", "&PIN:"),
    "login_button": ("Đăng &nhập", "&Log in"),
    "first_run_title": ("Tạo quản trị đầu tiên", "Create the first admin"),
    "first_run_text": (
        "Trạm chưa có người dùng. Hãy tạo tài khoản quản trị đầu tiên; quản trị sẽ thêm "
        "người soạn tin và người duyệt phát.",
        "The station has no users yet. Create the first admin account; the admin then adds "
        "operators and approvers."),
    "first_run_full_name": ("&Họ và tên:", "&Full name:"),
    "first_run_pin_again": ("&Nhập lại mã PIN:", "PIN &again:"),
    "first_run_create": ("Tạo &quản trị viên", "&Create admin"),
    "users_title": ("Người dùng", "Users"),
    "users_col_name": ("Tên đăng nhập", "User name"),
    "users_col_full_name": ("Họ và tên", "Full name"),
    "users_col_roles": ("Vai trò", "Roles"),
    "users_col_state": ("Trạng thái", "State"),
    "users_col_last_login": ("Đăng nhập lần cuối", "Last login"),
    "users_add": ("Thêm người &dùng…", "Add &user…"),
    "users_reset_pin": ("Đặt lại &mã PIN…", "Reset &PIN…"),
    "users_disable": ("Vô hiệu hó&a", "&Disable"),
    "users_enable": ("&Kích hoạt lại", "&Enable"),
    "users_roles": ("Đổi &vai trò…", "Change r&oles…"),
    "users_admin_only": ("Chỉ quản trị mới quản lý được người dùng.",
                         "Only an admin can manage users."),
    "users_add_title": ("Thêm người dùng", "Add a user"),
    "users_roles_title": ("Vai trò của {name}", "Roles of {name}"),
    "users_pin_title": ("Mã PIN mới cho {name}", "New PIN for {name}"),
    "users_done": ("Đã lưu.", "Saved."),
    # what the audit trail records (the words of an action refused for lack of a role)
    "action_bulletin_added": ("thêm bản tin", "adding a bulletin"),
    "action_bulletin_changed": ("sửa bản tin", "changing a bulletin"),
    "action_bulletin_approved": ("duyệt phát bản tin", "approving a bulletin for air"),
    "action_bulletin_unapproved": ("bỏ duyệt bản tin", "taking an approval back"),
    "action_series_added": ("thêm buổi phát định kỳ", "adding a recurring session"),
    "action_series_changed": ("sửa buổi phát định kỳ", "changing a recurring session"),
    "action_oneoff_added": ("lên lịch buổi phát", "scheduling a session"),
    "action_oneoff_changed": ("sửa buổi phát", "changing a session"),
    "action_oneoff_cancelled": ("hủy buổi phát", "cancelling a session"),
    "action_occurrence_changed": ("đổi một buổi của lịch định kỳ",
                                  "changing one day of a recurring session"),
    "action_campaign_added": ("thêm chiến dịch", "adding a campaign"),
    "action_campaign_changed": ("sửa chiến dịch", "changing a campaign"),
    "action_quiet_hours_set": ("đặt giờ yên lặng", "setting quiet hours"),
    "action_audio_added": ("thêm tệp âm thanh", "adding an audio file"),
    "action_station_jingle_set": ("đặt nhạc hiệu", "setting the station jingle"),
    "action_emergency_triggered": ("phát khẩn cấp", "triggering an emergency"),
    "action_emergency_cancelled": ("dừng phát khẩn cấp", "cancelling an emergency"),
    "action_station_changed": ("sửa thông tin đài", "changing the station identity"),
    "action_station_key_replaced": ("tạo khóa ký mới", "making a new signing key"),
    "action_settings_changed": ("đổi cài đặt", "changing settings"),
    "action_log_exported": ("xuất nhật ký phát thanh", "exporting the broadcast log"),
    "action_centre_station_registered": ("đăng ký xã, phường với trung tâm",
                                         "registering a commune with the centre"),
    "action_log_corrected": ("đính chính nhật ký", "correcting the log"),
    "action_user_added": ("thêm người dùng", "adding a user"),
    "action_user_roles_changed": ("đổi vai trò", "changing roles"),
    "action_user_disabled": ("vô hiệu hóa người dùng", "disabling a user"),
    "action_user_enabled": ("kích hoạt lại người dùng", "enabling a user"),
    "action_user_pin_reset": ("đặt lại mã PIN", "resetting a PIN"),
    "action_audit_exported": ("xem nhật ký thao tác", "reading the audit trail"),
})


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
    params = dict(exc.params)
    action = params.get("action")
    if isinstance(action, str) and f"action_{action}" in MESSAGES:  # people and safety
        params["action"] = tr(f"action_{action}")
    return tr(exc.code, **params)


def check_text(problem: Any) -> str:
    """A finding of ``loaxa check`` (scheduler.schedule.Problem) in words."""
    return tr(problem.code, **dict(problem.params))


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

# The Log view (app/gui/views/log.py) and its dialogs (app/gui/log_dialogs.py).
MESSAGES.update({
    "logview_col_level": ("Mức", "Level"),
    "logview_col_category": ("Lĩnh vực", "Category"),
    "logview_col_seq": ("Số thứ tự", "Seq"),
    "logview_played": ("Thời lượng đã phát (giây)", "Seconds aired"),
    "logview_document": ("Văn bản chính sách", "Policy document"),
    "logview_triggered_by": ("Người ra lệnh", "Triggered by"),
    "logview_note": ("Ghi chú", "Note"),
    "logview_device": ("Thiết bị phát", "Output device"),
    "logview_session": ("Buổi phát", "Session"),
    "logview_corrects": ("Đính chính cho", "Corrects"),
    "logview_corrected_by": ("Được đính chính bởi", "Corrected by"),
    "logview_seq_link": ("mục số thứ tự {seq}", "entry seq {seq}"),
    "logview_audio_hash": ("Mã băm âm thanh (SHA-256)", "Audio hash (SHA-256)"),
    "logview_entry_hash": ("Mã băm của mục", "Entry hash"),
    "logview_prev_hash": ("Mã băm mục trước", "Previous entry's hash"),
    "logview_station_id": ("Mã đài", "Station id"),
    "logview_sealed_at": ("Niêm phong lúc", "Sealed at"),
    "logview_not_sealed": ("chưa niêm phong (đang phát hoặc chưa có khóa của đài)",
                           "not sealed yet (on air, or the station has no key yet)"),
    "logview_pick_entry": ("Chọn một mục nhật ký để xem chi tiết.",
                           "Select a log entry to see its details."),
    "logview_chain_checking": ("Đang kiểm tra tính toàn vẹn của nhật ký…",
                               "Checking the integrity of the log…"),
    "logview_chain_ok": ("Nhật ký toàn vẹn — {n} mục, kiểm tra lúc {at}",
                         "Log intact — {n} entries, checked at {at}"),
    "logview_chain_changed": (
        "NHẬT KÝ KHÔNG TOÀN VẸN: mục số thứ tự {seq} đã bị sửa ngoài LoaXa (mã băm hoặc "
        "liên kết chuỗi không khớp). {n} mục trước đó đúng. Kiểm tra lúc {at}. Hãy báo "
        "trung tâm; không đóng gói được khoảng ngày có mục này.",
        "LOG NOT INTACT: entry seq {seq} was changed outside LoaXa (its hash or chain link "
        "does not match). The {n} entries before it are correct. Checked at {at}. Tell the "
        "centre; days including this entry cannot be packaged."),
    "logview_chain_missing": (
        "NHẬT KÝ KHÔNG TOÀN VẸN: thiếu mục số thứ tự {seq} (đã bị xóa ngoài LoaXa). {n} mục "
        "trước đó đúng. Kiểm tra lúc {at}. Hãy báo trung tâm.",
        "LOG NOT INTACT: entry seq {seq} is missing (deleted outside LoaXa). The {n} entries "
        "before it are correct. Checked at {at}. Tell the centre."),
    "logview_chain_field": (
        "NHẬT KÝ KHÔNG TOÀN VẸN: mục số thứ tự {seq} có giá trị sai ở trường {field}. {n} "
        "mục trước đó đúng. Kiểm tra lúc {at}. Hãy báo trung tâm.",
        "LOG NOT INTACT: entry seq {seq} has a wrong value in field {field}. The {n} "
        "entries before it are correct. Checked at {at}. Tell the centre."),
    "logview_recheck": ("&Kiểm tra lại", "Check &again"),
    "logview_filter_dates": ("Từ ngà&y", "From &date"),
    "logview_filter_to": ("đến", "to"),
    "logview_any_status": ("Mọi trạng thái", "Any status"),
    "logview_problems": ("Có sự cố (lỗi, lỡ, ngắt…)",
                         "Problems (failed, missed, interrupted, partial)"),
    "logview_any_level": ("Mọi mức", "Any level"),
    "logview_any_category": ("Mọi lĩnh vực", "Any category"),
    "logview_search": ("Tìm theo tiêu đề bản tin…", "Search bulletin titles…"),
    "logview_clear_filters": ("&Bỏ lọc", "C&lear filters"),
    "logview_counting": ("Đang đếm…", "Counting…"),
    "logview_count": ("{n} mục", "{n} entries"),
    "logview_act_export": ("Xuất n&hật ký…", "&Export log…"),
    "logview_act_report": ("Lập báo &cáo…", "&Report…"),
    "logview_act_package": ("Đóng &gói có chữ ký…", "Signed &package…"),
    "logview_act_verify": ("Kiểm tra gó&i…", "&Verify a package…"),
    "logview_act_push": ("Gửi trung tâm ng&ay", "Push to the &centre now"),
    "logview_report_title": ("Lập báo cáo kết quả phát thanh", "Broadcast report"),
    "logview_package_title": ("Đóng gói nhật ký có chữ ký", "Signed log package"),
    "logview_verify_title": ("Kiểm tra gói nhật ký", "Verify a log package"),
    "logview_working_report": ("Đang lập báo cáo…", "Writing the report…"),
    "logview_working_package": ("Đang đóng gói nhật ký…", "Packaging the log…"),
    "logview_working_verify": ("Đang kiểm tra gói nhật ký…", "Verifying the package…"),
    "logview_working_push": ("Đang gửi nhật ký tới trung tâm…",
                             "Pushing the log to the centre…"),
    "logview_rows_done": ("Đã ghi {n} mục", "{n} entries written"),
    "logview_by_month": ("Cả &tháng", "Whole &month"),
    "logview_by_range": ("&Khoảng ngày", "&Range of days"),
    "logview_format": ("Định dạng:", "Format:"),
    "logview_period_range": ("{first} đến {last}", "{first} to {last}"),
    "logview_file_export": ("Nhật ký phát thanh", "Broadcast log"),
    "logview_file_report": ("Báo cáo phát thanh", "Broadcast report"),
    "logview_file_package": ("Gói nhật ký", "Log package"),
    "logview_package_files": ("Gói nhật ký LoaXa (*.jsonl)", "LoaXa log package (*.jsonl)"),
    "logview_all_files": ("Mọi tệp (*)", "All files (*)"),
    "output_list_failed": ("Không liệt kê được thiết bị phát âm thanh: {reason}",
                           "The audio outputs cannot be listed: {reason}"),
})

# The Settings view (app/gui/views/settings.py).
MESSAGES.update({
    "decimal_comma": (",", "."),
    "settings_title": ("Cài đặt", "Settings"),
    "tab_settings": ("Cài đặt", "Settings"),
    "settings_apply": ("Á&p dụng", "&Apply"),
    "settings_revert": ("&Hoàn tác", "&Revert"),
    "settings_unsaved": ("Có thay đổi chưa áp dụng.", "There are changes not applied yet."),
    "settings_saved": ("Đã lưu cài đặt.", "Settings saved."),
    "settings_station": ("Đài và trung tâm", "Station and centre"),
    "settings_centre_url": ("Cơ sở dữ liệu trung tâm:", "Centre's database:"),
    "settings_centre_url_note": (
        "Địa chỉ do trung tâm cấp để gửi nhật ký qua mạng (để trống nếu gửi bằng gói nhật "
        "ký). Mật khẩu được lưu không mã hóa trong settings.toml.",
        "The address the centre gives for pushing the log over the network (empty when "
        "sending packages). The password is kept in plain text in settings.toml."),
    "settings_test_connection": ("&Kiểm tra kết nối", "&Test connection"),
    "settings_testing": ("Đang kiểm tra…", "Testing…"),
    "settings_centre_ok": ("Kết nối được cơ sở dữ liệu của trung tâm.",
                           "The centre's database answers."),
    "settings_copy": ("&Sao chép", "&Copy"),
    "settings_copied": ("Đã sao chép dấu vân tay.", "Fingerprint copied."),
    "settings_fingerprint_note": (
        "Đọc dấu vân tay này cho trung tâm để đăng ký đài của xã.",
        "Read this fingerprint to the centre so it can register the commune's station."),
    "settings_voice": ("Giọng đọc", "Voice"),
    "settings_engine": ("Bộ đọc:", "Engine:"),
    "settings_engine_espeak": ("Ngoại tuyến (espeak-ng, không cần mạng)",
                               "Offline (espeak-ng, no network needed)"),
    "settings_engine_gtts": ("Trực tuyến (Google, cần mạng)", "Online (Google, needs network)"),
    "settings_engine_sapi": ("Giọng cài trong Windows (SAPI)", "A Windows voice (SAPI)"),
    "settings_espeak_voice": ("Giọng ngoại tuyến:", "Offline voice:"),
    "settings_espeak_vi": ("Miền Bắc (vi)", "Northern (vi)"),
    "settings_espeak_vi_vn_x_central": ("Miền Trung (vi-vn-x-central)",
                                        "Central (vi-vn-x-central)"),
    "settings_espeak_vi_vn_x_south": ("Miền Nam (vi-vn-x-south)", "Southern (vi-vn-x-south)"),
    "settings_sapi_voice": ("Giọng Windows:", "Windows voice:"),
    "settings_find_voices": ("Tìm giọng &Windows", "&Find Windows voices"),
    "settings_first_vietnamese": ("(giọng tiếng Việt đầu tiên)",
                                  "(the first Vietnamese voice)"),
    "settings_voices_found": ("Có {n} giọng tiếng Việt trong Windows.",
                              "{n} Vietnamese Windows voice(s) found."),
    "settings_listing": ("Đang tìm…", "Looking…"),
    "settings_rate": ("Tốc độ đọc:", "Speed:"),
    "settings_wpm": (" từ/phút", " words/min"),
    "settings_voice_note": (
        "Khi không có mạng hoặc không có giọng Windows, giọng ngoại tuyến đọc thay và "
        "LoaXa báo lý do. Âm thanh đã tạo sẽ được tạo lại bằng giọng mới khi cần.",
        "Without a network or the Windows voice, the offline voice reads instead and LoaXa "
        "says why. Audio already made is made again with the new voice when needed."),
    "settings_loudness": ("Độ to", "Loudness"),
    "settings_lufs": ("Độ to mục tiêu (LUFS):", "Loudness target (LUFS):"),
    "settings_lufs_note": ("Từ {low} đến {high}; thường dùng −16.",
                           "From {low} to {high}; −16 is usual."),
    "settings_peak": ("Mức đỉnh tối đa (dBTP):", "True-peak ceiling (dBTP):"),
    "settings_peak_note": ("Từ {low} đến {high}; thường dùng −1,5.",
                           "From {low} to {high}; −1.5 is usual."),
    "settings_bad_lufs": ("Độ to mục tiêu “{value}” không hợp lệ: cần một số từ {low} đến "
                          "{high} LUFS (ví dụ -16). Chưa lưu gì.",
                          "The loudness target “{value}” is not valid: a number from {low} "
                          "to {high} LUFS is needed (e.g. -16). Nothing was saved."),
    "settings_bad_peak": ("Mức đỉnh tối đa “{value}” không hợp lệ: cần một số từ {low} đến "
                          "{high} dBTP (ví dụ -1,5). Chưa lưu gì.",
                          "The true-peak ceiling “{value}” is not valid: a number from {low} "
                          "to {high} dBTP is needed (e.g. -1.5). Nothing was saved."),
    "settings_output": ("Thiết bị phát", "Audio output"),
    "settings_device": ("Phát ra:", "Play on:"),
    "settings_default_device": ("Thiết bị mặc định của Windows", "The system's default output"),
    "settings_system_default": ("mặc định", "default"),
    "settings_device_absent": ("{name} (hiện không thấy)", "{name} (not found now)"),
    "settings_refresh_devices": ("&Làm mới", "&Refresh"),
    "settings_devices_found": ("Tìm thấy {n} thiết bị phát.", "{n} audio output(s) found."),
    "settings_device_note": (
        "Bộ phát dùng thiết bị đã chọn từ lần khởi động tiếp theo của bộ phát. Nếu thiết bị "
        "không còn, bộ phát dùng thiết bị mặc định và ghi lại trong playout.log.",
        "Playout uses the chosen output from its next start. When that output is gone, "
        "it plays on the default one and says so in playout.log."),
    "settings_amplifier": ("Bộ khuếch đại", "Amplifiers"),
    "settings_amp_on": ("Lệnh bật:", "Switch-on command:"),
    "settings_amp_off": ("Lệnh tắt:", "Switch-off command:"),
    "settings_amp_lead": ("Bật trước buổi phát:", "Switch on before a session:"),
    "settings_amp_delay": ("Tắt sau tiếng cuối:", "Switch off after the last sound:"),
    "settings_seconds_suffix": (" giây", " s"),
    "settings_test_on": ("Thử &bật loa", "Test o&n"),
    "settings_test_off": ("Thử tắt &loa", "Test o&ff"),
    "settings_amp_none": ("Chưa nhập lệnh.", "No command entered."),
    "settings_amp_ok": ("Lệnh chạy được.", "The command worked."),
    "settings_amp_failed": ("Lệnh bị lỗi: {reason}", "The command failed: {reason}"),
    "settings_amp_note": (
        "Lệnh của rơ-le USB hoặc cổng COM bật/tắt nguồn bộ khuếch đại. Để trống nếu không "
        "dùng. Lỗi của lệnh không làm dừng buổi phát.",
        "The command of a USB or serial relay that powers the amplifiers. Empty when not "
        "used. A failing command never stops a session."),
    "settings_bad_command": ("Lệnh không hợp lệ ({reason}): kiểm tra dấu ngoặc kép.",
                             "The command is not valid ({reason}): check the quotes."),
    "settings_quiet": ("Giờ yên lặng", "Quiet hours"),
    "settings_quiet_hours": ("Giờ yên lặng:", "Quiet hours:"),
    "settings_quiet_note": (
        "Trong các khoảng giờ này (giờ Việt Nam) không phát bản tin thường và ưu tiên; bản "
        "tin khẩn cấp vẫn phát. Ví dụ: 22:00-05:00, 12:00-13:30. Để trống: không có.",
        "No normal or priority bulletin plays inside these windows (Vietnam time); "
        "emergencies still do. For example 22:00-05:00, 12:00-13:30. Empty: none."),
    "settings_language": ("Ngôn ngữ", "Language"),
    "settings_language_label": ("Ngôn ngữ giao diện:", "Interface language:"),
    "settings_language_note": ("Ngôn ngữ mới được áp dụng khi mở lại LoaXa.",
                               "The new language applies when LoaXa is opened again."),
    "settings_bad_code": ("Mã đơn vị hành chính chỉ gồm chữ số (ví dụ 24121).",
                          "The administrative code has digits only (e.g. 24121)."),
    "settings_users": ("Người dùng", "Users"),
})

# The window's Schedule and On-air views (app/gui/views/schedule.py, onair.py).
MESSAGES.update({
    "day_mon": ("Thứ Hai", "Monday"),
    "day_tue": ("Thứ Ba", "Tuesday"),
    "day_wed": ("Thứ Tư", "Wednesday"),
    "day_thu": ("Thứ Năm", "Thursday"),
    "day_fri": ("Thứ Sáu", "Friday"),
    "day_sat": ("Thứ Bảy", "Saturday"),
    "day_sun": ("Chủ nhật", "Sunday"),
    "tab_schedule": ("Lịch phát", "Schedule"),
    "sch_timetable": ("Lịch phát trong tuần", "The week's schedule"),
    "sch_prev_week": ("◀ Tuần t&rước", "◀ &Previous week"),
    "sch_this_week": ("Tuần n&ày", "T&his week"),
    "sch_next_week": ("Tuần &sau ▶", "&Next week ▶"),
    "sch_week": ("Tuần {first} – {last} (giờ Việt Nam)", "Week {first} – {last} (Vietnam time)"),
    "sch_legend": ("Xanh dương: định kỳ · xanh lá: một lần · ↪ dời giờ · ± đổi thời lượng · "
                   "gạch ngang: đã hủy · sọc xám: giờ yên lặng · ⚠ lỗi · △ cảnh báo",
                   "Blue: recurring · green: one-off · ↪ moved · ± length changed · "
                   "struck out: cancelled · grey stripes: quiet hours · ⚠ error · △ warning"),
    "sch_add_series": ("Thêm buổi định &kỳ…", "Add &recurring session…"),
    "sch_add_oneoff": ("Thêm buổi &một lần…", "Add &one-off session…"),
    "sch_change": ("Đổi buổi đang &chọn…", "&Change selected…"),
    "sch_enable": ("&Bật/tắt buổi định kỳ…", "&Enable/disable series…"),
    "sch_campaign": ("Chiến &dịch…", "C&ampaign…"),
    "sch_quiet": ("&Giờ yên lặng…", "&Quiet hours…"),
    "sch_details": ("Chi tiết buổi phát", "Session details"),
    "sch_pick_session": ("Bấm vào một buổi phát (hoặc dùng phím mũi tên) để xem chi tiết; "
                         "nhấn Enter để thay đổi.",
                         "Click a session (or use the arrow keys) to see its details; Enter "
                         "changes it."),
    "sch_kind_series": ("buổi định kỳ", "recurring session"),
    "sch_kind_oneoff": ("buổi một lần", "one-off session"),
    "sch_series_id": ("Buổi định kỳ số {id}", "Recurring session {id}"),
    "sch_cancelled": ("đã hủy buổi này (chỉ ngày này)", "this day's occurrence is cancelled"),
    "sch_moved_to": ("đã dời sang {when}", "moved to {when}"),
    "sch_moved_from": ("dời từ {when}", "moved from {when}"),
    "sch_changed_note": ("thời lượng của riêng buổi này đã được đổi",
                         "this occurrence's length was changed"),
    "sch_item_unknown": ("(không rõ)", "(unknown)"),
    "sch_item_jingle": ("Nhạc hiệu của đài", "Station jingle"),
    "sch_item_audio": ("Tệp âm thanh {id} — {title}", "Audio file {id} — {title}"),
    "sch_from_campaign": ("chiến dịch số {id}", "campaign {id}"),
    "sch_problems": ("Kiểm tra tuần này: {errors} lỗi, {warnings} cảnh báo (bấm để tìm buổi).",
                     "This week's check: {errors} errors, {warnings} warnings (click to find "
                     "the session)."),
    "sch_no_problems": ("Kiểm tra tuần này: không có vấn đề.",
                        "This week's check: no problems."),
    "sch_series_added": ("Đã thêm buổi định kỳ số {id}.", "Recurring session {id} added."),
    "sch_oneoff_added": ("Đã thêm buổi phát một lần số {id}.", "One-off session {id} added."),
    "sch_campaign_added": ("Đã thêm chiến dịch số {id}.", "Campaign {id} added."),
    "sch_restore_question": ("Khôi phục buổi phát lúc {when} như lịch ban đầu?",
                             "Put the session of {when} back as planned?"),
    "sch_cancel_oneoff_question": ("Hủy buổi phát một lần “{title}” lúc {when}?",
                                   "Cancel the one-off session “{title}” at {when}?"),
    "sch_minutes_suffix": (" phút", " min"),
    "sch_items_available": ("Có thể phát:", "Available:"),
    "sch_items_chosen": ("Sẽ phát (theo thứ tự):", "Will play (in order):"),
    "sch_item_add": ("&Thêm →", "&Add →"),
    "sch_item_remove": ("&Bỏ", "&Remove"),
    "sch_item_relay": ("Tiếp &sóng…", "Re&lay…"),
    "sch_item_relay_text": ("Tiếp sóng {url} trong {minutes} phút",
                            "Relay {url} for {minutes} min"),
    "sch_relay_fallback_short": ("dự phòng: {title}", "fallback: {title}"),
    "sch_dlg_relay": ("Tiếp sóng một luồng trực tiếp", "Relay a live stream"),
    "sch_lbl_url": ("Địa chỉ luồng (http/https):", "Stream address (http/https):"),
    "sch_lbl_relay_minutes": ("Thời lượng tiếp sóng:", "Relay for:"),
    "sch_lbl_fallback": ("Nếu mất luồng, phát:", "If the stream fails, play:"),
    "sch_relay_no_fallback": ("(không có: chuyển sang mục sau)",
                              "(none: go on to the next item)"),
    "sch_item_up": ("&Lên trên", "Move &up"),
    "sch_item_down": ("Xuống &dưới", "Move &down"),
    "sch_dlg_series": ("Thêm buổi phát định kỳ", "Add a recurring session"),
    "sch_dlg_oneoff": ("Thêm buổi phát một lần", "Add a one-off session"),
    "sch_lbl_start": ("Giờ bắt đầu (giờ Việt Nam):", "Start time (Vietnam time):"),
    "sch_lbl_days": ("Các ngày:", "Days:"),
    "sch_lbl_length": ("Thời lượng dự kiến:", "Planned length:"),
    "sch_length_items": ("theo nội dung", "as long as its items"),
    "sch_until": ("có ngày kết thúc", "ends on"),
    "sch_need_title": ("Hãy nhập tên buổi phát.", "Enter a name for the session."),
    "sch_need_days": ("Hãy chọn ít nhất một ngày trong tuần.", "Choose at least one day."),
    "sch_dlg_change": ("Đổi buổi “{title}” ngày {day}", "Change “{title}” on {day}"),
    "sch_change_note": ("Chỉ đổi buổi của ngày này; buổi định kỳ giữ nguyên.",
                        "Only this day's occurrence changes; the recurring session stays."),
    "sch_change_cancel": ("&Hủy buổi này", "&Cancel this occurrence"),
    "sch_change_move": ("&Dời sang:", "&Move to:"),
    "sch_change_extend": ("Đổi &thời lượng:", "Change its &length:"),
    "sch_dlg_series_list": ("Bật/tắt buổi phát định kỳ", "Enable or disable recurring sessions"),
    "sch_series_list_note": ("Bỏ chọn để tạm dừng một buổi định kỳ (không xóa); chọn lại "
                             "để phát tiếp.",
                             "Untick to pause a recurring session (it is kept); tick it again "
                             "to resume."),
    "sch_col_enabled": ("Bật", "On"),
    "sch_dlg_campaign": ("Thêm chiến dịch", "Add a campaign"),
    "sch_lbl_bulletin": ("Bản tin:", "Bulletin:"),
    "sch_campaign_series": ("Chỉ trong các buổi (không chọn: mọi buổi):",
                            "Only in these sessions (none: every session):"),
    "sch_campaign_window": ("Chỉ các buổi bắt đầu trong khoảng", "Only sessions starting between"),
    "sch_campaign_cap": ("Số lần phát tối đa mỗi ngày:", "Max. plays per day:"),
    "sch_dlg_quiet": ("Giờ yên lặng", "Quiet hours"),
    "sch_quiet_note": ("Trong giờ yên lặng không phát bản tin thường và ưu tiên (bản tin khẩn "
                       "cấp vẫn phát). Khoảng có thể qua nửa đêm, ví dụ 22:00–05:00.",
                       "No normal or priority bulletin plays in quiet hours (emergencies "
                       "still do). A window may cross midnight, e.g. 22:00–05:00."),
    "sch_quiet_add": ("&Thêm khoảng", "&Add a window"),
    "sch_quiet_remove": ("Xóa", "Remove"),
    "tab_onair": ("Đang phát", "On air"),
    "air_alarm": ("Báo động", "Alarm"),
    "air_now": ("Đang phát", "Playing now"),
    "air_nothing": ("Không có gì đang phát.", "Nothing is playing."),
    "air_item_untitled": ("(mục không tên)", "(untitled item)"),
    "air_started": ("bắt đầu {at}", "started {at}"),
    "air_bulletin_id": ("bản tin số {id}", "bulletin {id}"),
    "air_emergency_by": ("KHẨN CẤP, người ra lệnh: {by}", "EMERGENCY, ordered by {by}"),
    "air_on_device": ("thiết bị: {device}", "device: {device}"),
    "air_elapsed": ("Đã phát {time}", "Played {time}"),
    "air_stale_playing": ("bộ phát đã dừng giữa chừng: mục này sẽ được ghi là bị ngắt khi bộ "
                          "phát chạy lại",
                          "the playout stopped part way: this item is logged interrupted when "
                          "the playout runs again"),
    "air_meter": ("Mức âm thanh đang phát", "Output level"),
    "air_meter_idle": ("— dBFS", "— dBFS"),
    "air_meter_value": ("{value} dBFS", "{value} dBFS"),
    "air_next": ("Tiếp theo", "Next"),
    "air_no_next": ("Chưa có buổi phát nào sắp tới.", "No session is coming up."),
    "air_countdown": ("Còn {time}", "In {time}"),
    "air_countdown_days": ("Còn {days} ngày {time}", "In {days} days {time}"),
    "air_status": ("Bộ phát", "Playout"),
    "air_start": ("Khởi động &bộ phát", "&Start playout"),
    "air_restart": ("Khởi động &lại bộ phát", "&Restart playout"),
    "air_restart_question": ("Dừng bộ phát rồi khởi động lại? Mục đang phát (nếu có) sẽ bị "
                             "ngắt và phát lại từ đầu mục đó.",
                             "Stop the playout and start it again? The item on air (if any) "
                             "is interrupted and played again from its start."),
    "air_stopping": ("Đang dừng bộ phát…", "Stopping the playout…"),
    "air_forced_stop": ("Bộ phát không tự dừng kịp nên đã bị buộc dừng; mục đang phát được "
                        "ghi là bị ngắt.",
                        "The playout did not stop in time and was ended by force; the item "
                        "on air is logged interrupted."),
    "air_started_playout": ("Đã khởi động bộ phát.", "Playout started."),
    "air_playout_pid_unknown": ("Không tìm được tiến trình bộ phát để dừng. Hãy tắt "
                                "loaxa-console trong Trình quản lý tác vụ rồi bấm Khởi động "
                                "bộ phát.",
                                "The playout process to stop cannot be found. End "
                                "loaxa-console in Task Manager, then press Start playout."),
    "air_playout_wont_stop": ("Bộ phát (tiến trình {pid}) không dừng được.",
                              "The playout (process {pid}) cannot be stopped."),
    "air_heartbeat": ("Tín hiệu hoạt động cuối của bộ phát: {at} ({ago} trước)",
                      "Playout last alive: {at} ({ago} ago)"),
    "air_heartbeat_never": ("Bộ phát chưa từng chạy trên cơ sở dữ liệu này.",
                            "The playout has never run on this database."),
    "air_heartbeat_stale": ("— bộ phát có thể bị treo: hãy khởi động lại.",
                            "— the playout may be stuck: restart it."),
    "air_device_checking": ("Đang kiểm tra thiết bị phát âm thanh…",
                            "Checking the audio output…"),
    "air_device": ("Thiết bị phát âm thanh: {name}", "Audio output: {name}"),
    "air_device_none": ("Thiết bị phát âm thanh: KHÔNG CÓ (xem cảnh báo phía trên)",
                        "Audio output: NONE (see the warning above)"),
    "air_no_device": ("KHÔNG CÓ THIẾT BỊ PHÁT ÂM THANH: các buổi phát sẽ thất bại. Hãy kiểm tra "
                      "dây loa, máy tăng âm, cắm lại thiết bị âm thanh và chọn thiết bị đó trong "
                      "Cài đặt âm thanh của Windows.",
                      "NO AUDIO OUTPUT: sessions will fail. Check the amplifier cable, plug "
                      "the sound device in again and select it in Windows Sound settings."),
    "air_emergency_button": ("PHÁT &KHẨN CẤP…", "&EMERGENCY BROADCAST…"),
    "air_dlg_emergency": ("Phát khẩn cấp", "Emergency broadcast"),
    "air_em_note": ("Bản tin khẩn cấp phát ngay, ngắt mục đang phát; sau đó buổi phát tiếp "
                    "tục. Nhật ký ghi người ra lệnh.",
                    "An emergency bulletin plays at once, interrupting what is on air; then "
                    "the session goes on. The log records who ordered it."),
    "air_em_pick": ("&Chọn bản tin có sẵn", "&Pick a bulletin"),
    "air_em_new": ("&Nhập nội dung mới (sẽ tạo âm thanh trước)",
                   "&Type a new text (its audio is made first)"),
    "air_em_bulletin": ("Bản tin:", "Bulletin:"),
    "air_em_repeat": ("&Lặp lại mỗi", "&Repeat every"),
    "air_em_next": ("Tiếp tục…", "Next…"),
    "air_confirm": ("Phát NGAY bản tin khẩn cấp:\n\n“{title}”\n\n{repeat}\nMục đang phát sẽ "
                    "bị ngắt. Phát?",
                    "Play this emergency bulletin NOW:\n\n“{title}”\n\n{repeat}\nWhat is on "
                    "air is interrupted. Play it?"),
    "air_confirm_once": ("Phát một lần.", "It plays once."),
    "air_confirm_repeat": ("Lặp lại mỗi {minutes} phút cho đến khi dừng.",
                           "It repeats every {minutes} minutes until stopped."),
    "air_em_preparing": ("Đang chuẩn bị bản tin khẩn cấp “{title}”…",
                         "Preparing the emergency bulletin “{title}”…"),
    "air_em_no_playout": ("Bộ phát đang không chạy: bản tin sẽ phát khi bộ phát chạy. Bấm "
                          "Khởi động bộ phát.",
                          "The playout is not running: the bulletin plays when it runs. Press "
                          "Start playout."),
    "air_em_active": ("Lệnh phát khẩn cấp đang hiệu lực", "Active emergency broadcasts"),
    "air_em_cancel": ("&Dừng lệnh khẩn cấp đã chọn", "S&top the selected emergency"),
    "air_em_cancel_question": ("Dừng lệnh phát khẩn cấp số {id} (“{title}”)? Lệnh này sẽ không "
                               "phát lại nữa; lượt đang phát (nếu có) vẫn phát đến hết.",
                               "Stop emergency broadcast {id} (“{title}”)? It will not play "
                               "again; an airing in progress plays to its end."),
    "air_col_by": ("Người ra lệnh", "Ordered by"),
    "air_col_repeat": ("Lặp lại", "Repeat"),
    "air_every": ("mỗi {minutes} phút", "every {minutes} min"),
    "air_em_state_pending": ("chờ phát", "waiting"),
    "air_em_state_repeating": ("đang lặp lại", "repeating"),
    "air_em_state_done": ("đã phát", "played"),
    "air_em_state_cancelled": ("đã dừng", "stopped"),
})

# `loaxa session export`: one session occurrence as a single audio file.
MESSAGES.update({
    "export_session": ("Xuất buổi phát {at} “{title}” ({occurrence})…",
                       "Exporting the session {at} “{title}” ({occurrence})…"),
    "export_no_session": ("Ngày {day} không có buổi phát nào khớp. Xem “loaxa timeline --date "
                          "{day}”.",
                          "No session on {day} matches. See “loaxa timeline --date {day}”."),
    "export_ambiguous": ("Ngày {day} có {n} buổi phát khớp (liệt kê ở trên); hãy chọn một "
                         "bằng --at GIỜ:PHÚT hoặc --key.",
                         "{n} sessions on {day} match (listed above); choose one with "
                         "--at HH:MM or --key."),
    "export_relay_left_out": ("Mục tiếp sóng {url} không ghi được vào tệp: đã bỏ qua.",
                              "The relay of {url} cannot go into a file: left out."),
    "export_nothing": ("Buổi phát “{title}” không có mục nào ghi được vào tệp.",
                       "The session “{title}” has no item that can go into a file."),
    "export_progress": ("Đang ghép: {done}/{total} mục", "Assembling: {done}/{total} items"),
    "export_bad_item": ("Mục hỏng: “{title}”.", "The broken item: “{title}”."),
    "export_bad_gap": ("Khoảng lặng {value} giây không hợp lệ (0–60).",
                       "A gap of {value} seconds is not valid (0–60)."),
    "export_is_folder": ("đó là một thư mục", "it is a folder"),
    "export_done": ("Đã ghi {path}: {n} mục, {duration}, {lufs} LUFS, đỉnh {peak} dBTP.",
                    "Wrote {path}: {n} items, {duration}, {lufs} LUFS, peak {peak} dBTP."),
})

# The Log view's centre menu (the centre's report, import and registration in the window),
# the open-file offer after a file is written, and work cancelled while it ran.
MESSAGES.update({
    "logview_act_centre": ("Tr&ung tâm", "Ce&ntre"),
    "logview_act_centre_report": ("&Báo cáo tổng hợp các xã, phường…",
                                  "Consolidated &report of the communes…"),
    "logview_act_centre_import": ("&Nhận gói nhật ký của xã…",
                                  "&Import communes' log packages…"),
    "logview_act_centre_register": ("Đăng &ký xã, phường…", "Re&gister a commune…"),
    "logview_centre_report_title": ("Báo cáo tổng hợp kết quả phát thanh các xã, phường",
                                    "Consolidated broadcast report of the communes"),
    "logview_centre_import_title": ("Nhận gói nhật ký của xã, phường",
                                    "Import communes' log packages"),
    "logview_centre_register_title": ("Đăng ký xã, phường với trung tâm",
                                      "Register a commune with the centre"),
    "logview_file_centre_report": ("Báo cáo tổng hợp phát thanh", "Consolidated broadcast report"),
    "logview_centre_communes": ("Xã, phường đưa vào báo cáo", "Communes in the report"),
    "logview_centre_all": ("Chọn &hết", "Select &all"),
    "logview_centre_none_checked": ("Bỏ chọn h&ết", "Select n&one"),
    "logview_centre_no_code": ("chưa có mã", "no code"),
    "logview_centre_pick_commune": ("Hãy chọn ít nhất một xã, phường cho báo cáo.",
                                    "Choose at least one commune for the report."),
    "logview_centre_empty": (
        "Máy này chưa đăng ký xã, phường nào nên chưa có gì để tổng hợp. Báo cáo tổng hợp "
        "dành cho trung tâm nhận nhật ký của các xã: trước hết chọn Trung tâm ▸ Đăng ký xã, "
        "phường… (bằng khóa công khai hoặc một gói nhật ký của xã), rồi Trung tâm ▸ Nhận gói "
        "nhật ký của xã… hoặc để các xã gửi nhật ký qua mạng.",
        "No commune is registered on this computer, so there is nothing to consolidate. The "
        "consolidated report is for a centre that receives the communes' logs: first choose "
        "Centre ▸ Register a commune… (by its public key or one of its log packages), then "
        "Centre ▸ Import communes' log packages…, or let the communes push their logs over "
        "the network."),
    "logview_working_centre_report": ("Đang lập báo cáo tổng hợp…",
                                      "Writing the consolidated report…"),
    "logview_working_centre_import": ("Đang kiểm tra và nhận gói nhật ký…",
                                      "Verifying and importing the packages…"),
    "logview_working_centre_register": ("Đang đọc khóa của xã…",
                                        "Reading the commune's key…"),
    "logview_centre_report_nothing": (
        "Trong kỳ này trung tâm không nhận được nhật ký của xã, phường nào; báo cáo vẫn được "
        "lập và ghi rõ điều đó.",
        "The centre received no commune's log for this period; the report was still written "
        "and says so."),
    "logview_centre_import_summary": ("Đã nhận {imported}/{files} gói nhật ký; từ chối "
                                      "{refused}.",
                                      "Imported {imported} of {files} log packages; refused "
                                      "{refused}."),
    "logview_centre_import_cancelled": (
        "Đã dừng nhận gói. Các gói đã nhận xong trước đó vẫn được lưu; gói đang kiểm tra dở "
        "không được lưu gì.",
        "Import stopped. Packages finished before are kept; nothing of the package being "
        "checked was stored."),
    "logview_centre_key": ("Khóa công khai hoặc gói:", "Public key or package:"),
    "logview_centre_key_hint": ("64 chữ số hex, hoặc chọn một gói nhật ký của xã",
                                "64 hex digits, or choose one of the commune's log packages"),
    "logview_centre_choose_package": ("Chọn &gói…", "Choose a &package…"),
    "logview_centre_name_needed": ("Hãy nhập tên xã, phường.", "Enter the commune's name."),
    "logview_centre_key_needed": ("Hãy nhập khóa công khai của xã hoặc chọn một gói nhật ký "
                                  "của xã.",
                                  "Enter the commune's public key or choose one of its log "
                                  "packages."),
    "logview_open_file": ("Mở &tệp", "Open the &file"),
    "logview_open_folder": ("Mở thư &mục", "Open the f&older"),
    "logview_close": ("Đón&g", "&Close"),
    "logview_open_failed": ("Không mở được {path}.", "Cannot open {path}."),
    "logview_cancelled_nofile": ("Đã hủy; không có tệp nào được ghi.",
                                 "Cancelled; no file was written."),
    "logview_cancelled_verify": ("Đã hủy kiểm tra gói.", "Verification cancelled."),
    "logview_rows_read": ("Đã đọc {n} mục nhật ký", "{n} log entries read"),
    "logview_act_centre_list": ("&Danh sách xã, phường đã đăng ký", "Registered &communes"),
    "logview_centre_list_title": ("Xã, phường đã đăng ký với trung tâm",
                                  "Communes registered with the centre"),
    "logview_centre_entries": ("Số mục đã nhận", "Entries received"),
    "logview_centre_last_seq": ("Số thứ tự cuối", "Last seq"),
    "logview_centre_contiguous": ("Liên tục đến", "Complete up to"),
    "logview_centre_tip": ("Dành cho trung tâm nhận nhật ký của các xã, phường: báo cáo tổng "
                           "hợp, nhận gói nhật ký, đăng ký xã.",
                           "For the centre that receives the communes' logs: the "
                           "consolidated report, importing packages, registering communes."),
    "logview_push_cancelled": (
        "Đã dừng gửi nhật ký. Những mục đã gửi được trung tâm giữ lại; phần còn lại sẽ được "
        "gửi lần sau.",
        "Pushing stopped. The entries already sent stay at the centre; the rest is sent next "
        "time."),
})

# People in the window (app/gui/session_guard.py): own PIN, switch user, idle sign-out, and
# why an action is off.
MESSAGES.update({
    "gate_or": (" hoặc ", " or "),
    "gate_login_first": ("Cần đăng nhập để {action} (Tệp › Đăng nhập…).",
                         "Log in first for {action} (File › Log in…)."),
    "gate_needs_role": ("{action} cần vai trò {roles}; bạn đang đăng nhập là {user}.",
                        "{action} needs the role {roles}; you are logged in as {user}."),
    "gate_no_users": ("Đài chưa có người dùng nào (Cài đặt › Người dùng).",
                      "The station has no users yet (Settings › Users)."),
    "gate_this": ("việc này", "this"),
    "action_lexicon_changed": ("sửa từ điển cách đọc", "changing the reading lexicon"),
    "act_change_pin": ("Đổi &mã PIN của tôi…", "Change &my PIN…"),
    "act_switch_user": ("Đổi người &dùng…", "Switch &user…"),
    "act_login": ("Đăng &nhập…", "&Log in…"),
    "act_logout": ("Đăng &xuất", "Log &out"),
    "own_pin_title": ("Đổi mã PIN của {name}", "Change the PIN of {name}"),
    "own_pin_old": ("Mã PIN &hiện tại:", "&Current PIN:"),
    "own_pin_new": ("Mã PIN &mới:", "&New PIN:"),
    "own_pin_again": ("Nhập &lại mã PIN mới:", "New PIN &again:"),
    "own_pin_rules": (
        "Mã PIN gồm 4–8 chữ số, hoặc một cụm mật khẩu 8–128 ký tự. Nhập sai mã hiện tại 5 lần "
        "liên tiếp sẽ khóa tài khoản một thời gian, như khi đăng nhập.",
        "A PIN is 4–8 digits, or a passphrase of 8–128 characters. Five wrong current PINs "
        "in a row lock the account for a while, as at login."),
    "own_pin_button": ("Đổi &mã", "&Change"),
    "own_pin_done": ("Đã đổi mã PIN của bạn.", "Your PIN was changed."),
    "pin_same": ("Mã PIN mới giống mã hiện tại; chưa đổi gì.",
                 "The new PIN is the same as the current one; nothing changed."),
    "idle_signed_out": (
        "{name} đã được đăng xuất sau {minutes} phút không dùng. Phát thanh vẫn chạy bình thường.",
        "{name} was logged out after {minutes} minutes without use. Playout goes on."),
    "signed_out": ("{name} đã đăng xuất.", "{name} logged out."),
    "signed_out_read_only": (
        "Chưa có ai đăng nhập: chỉ xem được, chưa sửa được gì (Tệp › Đăng nhập…).",
        "Nobody is logged in: you can look, not change (File › Log in…)."),
    "user_label": ("Người dùng: {name}", "User: {name}"),
    "user_label_signed_out": ("Chưa đăng nhập", "Not logged in"),
    "users_idle_label": ("Tự đăng xuất &sau (phút):", "&Log out after (minutes):"),
    "users_idle_note": (
        "Khi không ai dùng bàn phím hay chuột trong chừng ấy phút, người đang đăng nhập được "
        "đăng xuất và cửa sổ hỏi đăng nhập lại. Phát thanh và việc đang làm vẫn tiếp tục. "
        "0 = không bao giờ.",
        "After this many minutes without keyboard or mouse input the signed-in user is logged "
        "out and the window asks for a login again. Playout and work in progress go on. "
        "0 = never."),
    "users_idle_save": ("&Lưu thời gian", "&Save the time"),
    "users_idle_saved": ("Đã lưu: tự đăng xuất sau {minutes} phút.",
                         "Saved: log out after {minutes} minutes."),
    "users_idle_never": ("Đã lưu: không tự đăng xuất.", "Saved: no automatic log out."),
})

MESSAGES.update({
    "air_em_login_needed": (
        "Cần một người dùng đăng nhập để phát hoặc dừng khẩn cấp (nhật ký ghi tên người đó).",
        "An emergency needs a logged-in user to start or stop it (the log records who)."),
    "air_em_tip_login": (
        "Chưa có ai đăng nhập: bấm nút sẽ hỏi đăng nhập trước, rồi phát ngay.",
        "Nobody is logged in: the button asks for a login first, then plays at once."),
})

# One occurrence as one audio file: shared by `loaxa session export` and the Schedule view.
MESSAGES.update({
    "export_unapproved_left_out": (
        "Bản tin “{title}” chưa được duyệt để phát: đã bỏ ra khỏi tệp.",
        "The bulletin “{title}” is not approved for air: left out of the file."),
    "sch_export": ("Xuất ra tệp âm t&hanh…", "E&xport as audio file…"),
    "sch_export_tip": ("Ghi buổi phát đang chọn thành một tệp MP3 hoặc WAV (Ctrl+E), để chép "
                       "vào USB cho loa thông minh hoặc thôn chưa có mạng.",
                       "Writes the selected session as one MP3 or WAV file (Ctrl+E), for a USB "
                       "stick to a smart loudspeaker or a village without the network."),
    "sch_menu_change": ("Đổi buổi phát này…", "Change this session…"),
    "sch_menu_export": ("Xuất ra tệp âm thanh…", "Export as audio file…"),
    "sch_cancel_work": ("Hủ&y việc đang chạy", "Cancel the &work"),
    "sch_cancelling": ("Đang dừng…", "Stopping…"),
    "sch_export_title": ("Xuất buổi phát “{title}” ra tệp âm thanh",
                         "Export the session “{title}” as an audio file"),
    "sch_export_mp3_files": ("Tệp MP3 (*.mp3)", "MP3 files (*.mp3)"),
    "sch_export_wav_files": ("Tệp WAV (*.wav)", "WAV files (*.wav)"),
    "sch_export_untitled": ("Buổi phát", "Session"),
    "sch_export_ghost": ("Buổi phát này đã hủy hoặc đã dời đi: không có gì để xuất. Hãy chọn "
                         "một buổi phát trong lịch.",
                         "This occurrence was cancelled or moved away: there is nothing to "
                         "export. Choose a session in the timetable."),
    "sch_exporting": ("Đang xuất “{title}”…", "Exporting “{title}”…"),
    "sch_export_done": ("Đã ghi {path}: {n} mục, dài {duration}, độ to {lufs} LUFS, đỉnh "
                        "{peak} dBTP.",
                        "Wrote {path}: {n} items, {duration} long, loudness {lufs} LUFS, peak "
                        "{peak} dBTP."),
    "sch_export_cancelled": ("Đã hủy xuất tệp; không có tệp nào được ghi.",
                             "Export cancelled; no file was written."),
    "sch_export_failed": ("Không xuất được buổi phát “{title}”: {reason}{notes}",
                          "Could not export the session “{title}”: {reason}{notes}"),
    "sch_export_open_folder": ("&Mở thư mục", "&Open folder"),
})

# The bulletin categories (policy areas) in the Settings view (app/gui/categories_page.py).
MESSAGES.update({
    "settings_categories": ("Lĩnh vực bản tin", "Bulletin categories"),
    "cat_intro": ("Các lĩnh vực tuyên truyền trong kế hoạch thông tin cơ sở của xã, theo thứ tự "
                  "hiện trong bộ lọc và ô Lĩnh vực của trang Bản tin. Mỗi thay đổi được lưu "
                  "ngay (tệp categories.txt trong thư mục cài đặt) và ghi vào nhật ký thao tác.",
                  "The policy areas of the commune's communication plan, in the order the "
                  "Bulletins page's filter and Category field show them. Each change is saved "
                  "at once (categories.txt in the settings folder) and recorded in the audit "
                  "trail."),
    "cat_admin_only": ("Chỉ quản trị mới sửa được danh sách lĩnh vực.",
                       "Only an admin can edit the list of categories."),
    "cat_entry_used": ("{name} — {n} bản tin", "{name} — {n} bulletins"),
    "cat_add": ("Thêm lĩnh &vực…", "Add &category…"),
    "cat_rename": ("Đổ&i tên…", "Re&name…"),
    "cat_remove": ("Xó&a", "Re&move"),
    "cat_up": ("&Lên", "Move &up"),
    "cat_down": ("X&uống", "Move do&wn"),
    "cat_add_title": ("Thêm lĩnh vực", "Add a category"),
    "cat_rename_title": ("Đổi tên lĩnh vực “{name}”", "Rename the category “{name}”"),
    "cat_name_label": ("Tên lĩnh vực (tối đa {limit} ký tự):",
                       "Name of the category (at most {limit} characters):"),
    "cat_added": ("Đã thêm lĩnh vực “{name}”.", "Added the category “{name}”."),
    "cat_renamed": ("Đã đổi tên lĩnh vực “{old}” thành “{new}”; các bản tin vẫn giữ tên cũ.",
                    "Renamed the category “{old}” to “{new}”; the bulletins keep the old "
                    "name."),
    "cat_renamed_bulletins": ("Đã đổi tên lĩnh vực “{old}” thành “{new}” và cập nhật {n} bản "
                              "tin.",
                              "Renamed the category “{old}” to “{new}” and updated {n} "
                              "bulletins."),
    "cat_rename_used": ("{n} bản tin đang thuộc lĩnh vực “{old}”. Đổi luôn lĩnh vực của các "
                        "bản tin đó thành “{new}”?\n\nCó: đổi cả bản tin. Không: chỉ đổi "
                        "trong danh sách, bản tin giữ tên cũ. Hủy: không đổi gì.",
                        "{n} bulletins are in the category “{old}”. Move those bulletins to "
                        "“{new}” as well?\n\nYes: the bulletins too. No: only the list, the "
                        "bulletins keep the old name. Cancel: nothing changes."),
    "cat_remove_question": ("Xóa lĩnh vực “{name}” khỏi danh sách?",
                            "Remove the category “{name}” from the list?"),
    "cat_remove_used": ("{n} bản tin đang thuộc lĩnh vực “{name}”. Xóa khỏi danh sách thì các "
                        "bản tin đó vẫn giữ lĩnh vực này (bộ lọc vẫn tìm được), nhưng bản tin "
                        "mới không chọn được nữa. Vẫn xóa?",
                        "{n} bulletins are in the category “{name}”. Removed from the list, "
                        "those bulletins keep it (the filter still finds them) but new "
                        "bulletins can no longer pick it. Remove it anyway?"),
    "cat_removed": ("Đã xóa lĩnh vực “{name}” khỏi danh sách.",
                    "Removed the category “{name}” from the list."),
    "cat_moved": ("Đã chuyển “{name}”.", "Moved “{name}”."),
    "category_empty": ("Tên lĩnh vực không được để trống.", "The category name is empty."),
    "category_too_long": ("Tên lĩnh vực dài {chars} ký tự; tối đa {limit} ký tự.",
                          "The category name is {chars} characters long; at most {limit}."),
    "category_comment": ("Tên lĩnh vực không được bắt đầu bằng dấu # (“{name}”).",
                         "A category name cannot start with # (“{name}”)."),
    "category_duplicate": ("Đã có lĩnh vực “{existing}”; “{name}” trùng với nó (không kể chữ "
                           "hoa, chữ thường và dấu).",
                           "There is already the category “{existing}”; “{name}” is the same "
                           "(ignoring case and diacritics)."),
    "category_unknown": ("Không có lĩnh vực “{name}” trong danh sách (có thể vừa bị sửa ở nơi "
                         "khác).",
                         "There is no category “{name}” in the list (it may have just been "
                         "changed elsewhere)."),
})
