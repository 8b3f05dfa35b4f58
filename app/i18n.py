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
    "voice_fallback": ("{reason} Đã dùng giọng đọc ngoại tuyến; khi có mạng, tạo lại âm thanh để "
                       "dùng giọng trực tuyến.",
                       "{reason} The offline voice was used; make the audio again when the "
                       "network is back to use the online voice."),
    "voice_unknown": ("Không có giọng đọc “{voice}”.", "There is no voice “{voice}”."),
    "voice_failed": ("Giọng đọc {engine} bị lỗi ({reason}).",
                     "The {engine} voice failed ({reason})."),
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
    "log_corrected": ("Đã ghi mục đính chính số thứ tự {seq} cho mục {corrects}.",
                      "Correction recorded as seq {seq}, correcting seq {corrects}."),
    "log_chain_gap": ("Nhật ký trong cơ sở dữ liệu thiếu mục số thứ tự {seq}: không đóng gói.",
                      "The log in the database lacks seq {seq}: no package written."),
    "log_chain_broken": (
        "Mục nhật ký số thứ tự {seq} trong cơ sở dữ liệu đã bị thay đổi ngoài LoaXa (chuỗi "
        "băm không khớp): không đóng gói.",
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
