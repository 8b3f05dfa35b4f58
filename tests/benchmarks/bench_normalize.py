"""Spoken-form normalizer speed on 5,000 characters of bulletin text (target ≤ 5 ms).

Run:  python -m tests.benchmarks.bench_normalize
"""

from __future__ import annotations

import statistics
import sys
import time

from media.normalize import normalize

# Typical bulletin language: sentences of words with a date, a document number or an amount
# here and there (written for this benchmark).
TYPICAL = (
    "Thực hiện Kế hoạch số 45/KH-UBND ngày 02/10/2026 của Ủy ban nhân dân huyện về công tác "
    "truyền thông chính sách, Ủy ban nhân dân xã thông báo đến toàn thể nhân dân như sau.\n"
    "Từ ngày 15/12/2026, bộ phận một cửa của xã tiếp nhận hồ sơ đề nghị hỗ trợ học phí cho "
    "học sinh thuộc hộ nghèo, hộ cận nghèo theo Nghị định số 81/2021/NĐ-CP của Chính phủ. "
    "Hồ sơ gồm đơn đề nghị, bản sao giấy khai sinh và giấy xác nhận hộ nghèo do thôn cấp.\n"
    "Mức hỗ trợ là 150.000 đồng mỗi tháng, chi trả theo học kỳ. Gia đình nào chưa rõ thủ tục "
    "xin liên hệ cán bộ văn hóa xã hội của xã trong giờ hành chính để được hướng dẫn cụ thể.\n"
    "Ủy ban nhân dân xã đề nghị các trưởng thôn thông báo rộng rãi để bà con được biết và "
    "thực hiện đúng thời hạn. Xin trân trọng thông báo.\n"
)
# A stress case: a number, date, code or unit in nearly every phrase.
PARAGRAPH = (
    "Thực hiện Chỉ thị số 07/CT-TTg ngày 14/3/2023 của Thủ tướng Chính phủ và Nghị định số "
    "09/2017/NĐ-CP, UBND xã thông báo: từ 7h30 ngày 15/12/2026 đến 17h00 ngày 20/12/2026, "
    "các hộ gia đình đóng BHYT mức 1.250.000đ/hộ, tăng 3,75% so với giai đoạn 2022-2027. "
    "Mọi thắc mắc liên hệ số điện thoại 0912 345 678 hoặc gọi 114. Đại hội XIII, quý IV, "
    "lần thứ 4, mưa 100-150 mm, nhiệt độ 25-30°C, diện tích 2,5 ha.\n"
)


def measure(name: str, paragraph: str, lexicon: dict[str, str] | None = None) -> None:
    text = (paragraph * (5000 // len(paragraph) + 1))[:5000]
    normalize(text, lexicon)  # compile the patterns and read the lists once
    runs, cpu = [], []
    for _ in range(200):
        started, started_cpu = time.perf_counter(), time.process_time()
        normalize(text, lexicon)
        runs.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    runs.sort()
    # CPU time as well: on a machine shared with other work, wall time includes waiting for
    # a core, CPU time does not.
    print(f"{name}: normalize {len(text)} characters: median {statistics.median(runs):.2f} ms, "
          f"p95 {runs[int(len(runs) * 0.95)]:.2f} ms, min {runs[0]:.2f} ms over {len(runs)} runs; "
          f"CPU median {statistics.median(cpu):.2f} ms")


# A commune lexicon of 60 entries (place and ethnic-minority names, local terms), as the render
# cache key normalizes with it too.
LEXICON = {f"Thôn {i}": f"thôn số {i}" for i in range(40)} | {
    f"Bản Khuổi {chr(65 + i)}": f"bản Khuổi {chr(65 + i)}" for i in range(20)}


def main() -> int:
    measure("typical bulletin", TYPICAL)
    measure("dense stress text", PARAGRAPH)
    measure("dense stress text, 60-entry lexicon", PARAGRAPH, LEXICON)
    return 0


if __name__ == "__main__":
    sys.exit(main())
