"""Database.load_schedule reads one-offs and bulletins as plain columns (no ORM rows, no
bulletin text joined to every item): what it returns is unchanged. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from scheduler.schedule import ItemSpec


def test_one_offs_keep_their_items_in_order_lengths_and_skip_cancelled(anydb) -> None:
    db = anydb
    first = db.add_bulletin("Tin một", "Nội dung một. " * 300)
    second = db.add_bulletin("Tin hai", "Nội dung hai.")
    sha = "ab" * 32
    asset = db.add_audio_asset(sha256=sha, rel_path=f"{sha}.mp3", duration_ms=90_500,
                               title="Nhạc hiệu")
    at = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    items = [ItemSpec.bulletin(second), ItemSpec.audio(asset.id),
             ItemSpec.relay("http://vov1.example/live", 600, fallback=ItemSpec.audio(asset.id)),
             ItemSpec.bulletin(first)]
    natural = db.add_session(at, items=items, title="Nhiều mục")
    fixed = db.add_session(at.replace(hour=3), [first, second], title="Cố định", length_s=900)
    gone = db.add_session(at.replace(hour=5), [first], title="Đã hủy")
    db.cancel_session(gone)
    empty_twin = db.add_session(at.replace(hour=7), [second, second, first])
    schedule = db.load_schedule()
    by_id = {o.id: o for o in schedule.one_offs}
    assert list(by_id) == [natural, fixed, empty_twin]  # by id; the cancelled one left out
    assert by_id[natural].items == tuple(items)
    assert by_id[natural].start == at and by_id[natural].title == "Nhiều mục"
    # No rendered audio for the bulletins: 90.5 s of audio + 600 s of relay + a minute.
    assert by_id[natural].length == round(90.5 + 600) + 60
    assert by_id[fixed].length == 900
    assert by_id[empty_twin].items == (ItemSpec.bulletin(second), ItemSpec.bulletin(second),
                                       ItemSpec.bulletin(first))
    assert {b: (i.title, i.approved) for b, i in schedule.bulletins.items()} == {
        first: ("Tin một", db.get_bulletin(first).approved),
        second: ("Tin hai", db.get_bulletin(second).approved)}
