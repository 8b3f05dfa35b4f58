"""Sample data: what ``loaxa demo`` adds to an empty database, and the fuller commune day the
screenshots show (``loaxa --screenshots``): bulletins of several policy areas, recurring
sessions, a campaign and a week of broadcast log. Vietnamese, with full diacritics."""

from __future__ import annotations

from datetime import time, timedelta

from app.paths import resources_dir
from app.services import AppContext
from media.errors import LoaxaError
from media.textio import read_text_file
from scheduler.records import Level, LogStatus
from scheduler.timeutil import LOCAL_TZ, to_local, utc_now

DEMO_FILE = "demo-bulletin.vi.txt"

# (title, category, document, issuing body, level, text)
BULLETINS = [
    ("Phòng chống sốt xuất huyết mùa mưa", "Y tế", "25/CT-UBND", "UBND xã", Level.NORMAL,
     "Trạm y tế xã khuyến cáo bà con chủ động phòng chống sốt xuất huyết.\n"
     "Mỗi tuần một lần, các hộ gia đình dọn dẹp vật dụng chứa nước đọng quanh nhà, đậy kín "
     "lu, vại, bể nước.\nKhi có người sốt cao đột ngột từ hai ngày trở lên, hãy đưa đến trạm "
     "y tế xã để được khám, không tự ý dùng thuốc."),
    ("Tuyên truyền dịch vụ công trực tuyến", "Chuyển đổi số", "06/QĐ-TTg", "UBND xã",
     Level.NORMAL,
     "Từ tháng 12, người dân có thể nộp hồ sơ khai sinh, đăng ký thường trú và cấp lại "
     "giấy tờ qua Cổng dịch vụ công quốc gia.\nTổ công nghệ số cộng đồng ở các thôn sẵn sàng "
     "hướng dẫn bà con cài đặt ứng dụng VNeID vào tối thứ Bảy hằng tuần tại nhà văn hóa "
     "thôn."),
    ("Lịch tiêm chủng mở rộng tháng 12/2026", "Y tế", "", "Trạm y tế xã", Level.PRIORITY,
     "Trạm y tế xã tổ chức tiêm chủng mở rộng cho trẻ dưới năm tuổi vào ngày 15/12/2026, "
     "từ 7h30 đến 11h00.\nPhụ huynh mang theo sổ tiêm chủng của cháu."),
    ("Cảnh báo mưa lớn, lũ quét", "Phòng chống thiên tai", "", "Ban chỉ huy PCTT xã",
     Level.EMERGENCY,
     "Do ảnh hưởng của áp thấp nhiệt đới, đêm nay và ngày mai trên địa bàn xã có mưa to "
     "đến rất to.\nCác hộ ven suối chủ động di chuyển người và tài sản đến nơi an toàn; không "
     "qua lại ngầm tràn khi nước lên."),
]


def seed_demo(ctx: AppContext) -> tuple[int, int, LoaxaError | None]:
    """``loaxa demo``: the sample bulletin (its audio made now) and a session a minute ahead;
    returns their ids and the voice's notice (why the configured voice was not used)."""
    text = read_text_file(resources_dir() / DEMO_FILE)
    title = text.splitlines()[0].strip()
    bulletin_id = ctx.db.add_bulletin(title, text, source_name=DEMO_FILE)
    notice = ctx.render_bulletin(bulletin_id).notice
    at = (utc_now() + timedelta(minutes=1)).replace(microsecond=0)
    session_id = ctx.db.add_session(at, [bulletin_id], title="Buổi phát mẫu")
    return bulletin_id, session_id, notice


def seed_commune_day(ctx: AppContext) -> None:
    """A commune in mid-season: what the README's screenshots show."""
    from scheduler.schedule import EVERY_DAY, ItemSpec

    db = ctx.db
    db.set_station(commune_name="Xã Tân Lập", admin_code="24121",
                   centre_name="Trung tâm Văn hóa - Thông tin tỉnh")
    demo_id, _, _ = seed_demo(ctx)
    ids = []
    for title, category, document, issuer, level, text in BULLETINS:
        ids.append(db.add_bulletin(title, text, level=level, category=category,
                                   document_ref=document, issuing_body=issuer))
    for bulletin_id in ids[:2]:
        ctx.render_bulletin(bulletin_id)
    today = to_local(utc_now()).date()
    db.add_series(title="Bản tin sáng", start=time(6, 0), weekdays=EVERY_DAY,
                  valid_from=today - timedelta(days=30), valid_until=None, length_s=1200,
                  items=[ItemSpec.bulletin(demo_id), ItemSpec.bulletin(ids[0])])
    db.add_series(title="Bản tin chiều", start=time(17, 0), weekdays=range(6),
                  valid_from=today - timedelta(days=30), valid_until=None, length_s=900,
                  items=[ItemSpec.bulletin(ids[1]), ItemSpec.bulletin(ids[2])])
    db.add_campaign(bulletin_id=ids[1], first_day=today - timedelta(days=3),
                    last_day=today + timedelta(days=14), window=(time(4), time(11, 59)),
                    max_per_day=1, title="Tháng chuyển đổi số")
    db.add_session((utc_now() + timedelta(hours=2)).replace(second=0, microsecond=0),
                   [ids[0]], title="Phát bổ sung")
    _seed_log(ctx, [demo_id, ids[0], ids[1]])


def _seed_log(ctx: AppContext, bulletin_ids: list[int]) -> None:
    """A week of morning and afternoon sessions, mostly played, a few not."""
    items = [ctx.db.get_bulletin(bulletin_id) for bulletin_id in bulletin_ids]
    today = to_local(utc_now()).date()
    outcomes = {(2, 17): (LogStatus.MISSED, "missed_while_down"),
                (4, 6): (LogStatus.FAILED, "no_output"),
                (5, 17): (LogStatus.INTERRUPTED, "emergency_interrupt")}
    for days_ago in range(6, 0, -1):
        day = today - timedelta(days=days_ago)
        for hour in (6, 17):
            start = to_local(utc_now()).replace(year=day.year, month=day.month, day=day.day,
                                                hour=hour, minute=0, second=0, microsecond=0,
                                                tzinfo=LOCAL_TZ)
            at = start
            for position, bulletin in enumerate(items[:2] if hour == 6 else items[2:]):
                status, reason = outcomes.get((days_ago, hour), (LogStatus.PLAYED, ""))
                played = 95_000 if status is LogStatus.PLAYED else (
                    40_000 if status is LogStatus.INTERRUPTED else 0)
                aired = status is not LogStatus.MISSED
                ctx.db.add_log_entry(
                    scheduled_at=at, status=status, bulletin_id=bulletin.id,
                    bulletin_title=bulletin.title, started_at=at if aired else None,
                    ended_at=at + timedelta(milliseconds=played) if aired else None,
                    reason=reason, played_ms=played, output_device="Loa chính",
                    session_key=f"series:{1 if hour == 6 else 2}:{day.isoformat()}",
                    item_position=position, level=bulletin.level.value,
                    category=bulletin.category, document_ref=bulletin.document_ref)
                at += timedelta(milliseconds=played or 95_000)
