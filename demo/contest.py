"""The demo contest "Đại sứ Văn hóa đọc 2026": structure and a few hundred entries."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from contests.enums import AdvanceRule, Aggregation, ContestStatus, EntryFormat
from contests.models import Contest
from contests.services import contest_create
from people.models import Network, User
from submissions.content import entry_code_new, words_count
from submissions.models import Entry

TITLE = "Đại sứ Văn hóa đọc 2026"
JUNIOR, SENIOR = "Tiểu học & THCS", "THPT & Đại học"
CRITERIA = [
    {"name": "Nội dung, ý tưởng", "weight": Decimal(4), "max_score": Decimal(40)},
    {"name": "Cảm xúc, sức lan toả", "weight": Decimal(3), "max_score": Decimal(30)},
    {"name": "Hình thức trình bày", "weight": Decimal(2), "max_score": Decimal(20)},
    {"name": "Sáng tạo", "weight": Decimal(1), "max_score": Decimal(10)},
]
BOOKS = [
    ("Dế Mèn phiêu lưu ký", "Tô Hoài", "NXB Kim Đồng"),
    ("Tắt đèn", "Ngô Tất Tố", "NXB Văn học"),
    ("Số đỏ", "Vũ Trọng Phụng", "NXB Văn học"),
    ("Lão Hạc", "Nam Cao", "NXB Kim Đồng"),
    ("Nhật ký Đặng Thùy Trâm", "Đặng Thùy Trâm", "NXB Hội Nhà văn"),
    ("Cho tôi xin một vé đi tuổi thơ", "Nguyễn Nhật Ánh", "NXB Trẻ"),
    ("Mắt biếc", "Nguyễn Nhật Ánh", "NXB Trẻ"),
    ("Đất rừng phương Nam", "Đoàn Giỏi", "NXB Kim Đồng"),
    ("Truyện Kiều", "Nguyễn Du", "NXB Văn học"),
    ("Những ngôi sao xa xôi", "Lê Minh Khuê", "NXB Kim Đồng"),
    ("Tôi thấy hoa vàng trên cỏ xanh", "Nguyễn Nhật Ánh", "NXB Trẻ"),
    ("Bỉ vỏ", "Nguyên Hồng", "NXB Văn học"),
]
TITLES = [
    "Cuốn sách thay đổi cách tôi nhìn cuộc sống",
    "Thư gửi người bạn chưa thích đọc sách",
    "Điều {author} dạy tôi",
    "Đọc “{book}” trong mùa hè năm ấy",
    "Vì sao tôi giới thiệu “{book}” cho các bạn",
]
SENTENCES = [
    "Lần đầu cầm cuốn sách trên tay, tôi không nghĩ nó sẽ ở lại với mình lâu đến vậy.",
    "Mỗi trang sách mở ra một thế giới mà tôi chưa từng được đi tới.",
    "Tôi đã đọc lại nhiều đoạn, có đoạn đọc to cho em gái nghe.",
    "Nhân vật chính khiến tôi nghĩ về gia đình, về bạn bè và về chính mình.",
    "Thư viện trường là nơi tôi tìm thấy cuốn sách này, trên giá sách gần cửa sổ.",
    "Sau khi đọc, tôi bắt đầu ghi nhật ký đọc sách mỗi tối.",
    "Văn hóa đọc không chỉ là đọc nhiều mà là đọc sâu và biết chia sẻ.",
    "Tôi mong các bạn cùng lớp cũng sẽ tìm đến cuốn sách này.",
    "Có những câu văn tôi chép vào sổ tay để đọc lại khi buồn.",
    "Cuốn sách giúp tôi hiểu hơn về lịch sử và con người Việt Nam.",
]
SCHOOL_LIBRARIES = {"CVA", "DTM", "TVHN", "TVNA", "TVTN"}  # school and public libraries: younger readers


def demo_structure() -> dict:
    """Categories, two rounds with criteria and five prize tiers: the same every year."""
    return {
        "categories": [
            {"name": JUNIOR, "formats": [EntryFormat.TEXT, EntryFormat.VIDEO], "max_words": 1500},
            {"name": SENIOR, "formats": sorted(EntryFormat.values)},
        ],
        "rounds": [
            {
                "name": "Vòng sơ khảo",
                "order": 1,
                "judges_per_entry": 3,
                "aggregation": Aggregation.WEIGHTED_MEAN,
                "advance": AdvanceRule.TOP_N_PER_LIBRARY,
                "advance_value": Decimal(5),
                "criteria": CRITERIA,
            },
            {
                "name": "Vòng chung khảo",
                "order": 2,
                "judges_per_entry": 5,
                "aggregation": Aggregation.TRIMMED_MEAN,
                "advance": AdvanceRule.NONE,
                "criteria": CRITERIA,
            },
        ],
        "prize_tiers": [
            {"name": "Giải Đặc biệt", "rank": 1, "quota": 4, "points": 10},
            {"name": "Giải A", "rank": 2, "quota": 8, "points": 7},
            {"name": "Giải B", "rank": 3, "quota": 16, "points": 5},
            {"name": "Giải C", "rank": 4, "quota": 32, "points": 3},
            {"name": "Giải Khuyến khích", "rank": 5, "quota": 64, "points": 1},
        ],
    }


def demo_contest_seed(*, organizer: User, national: Network) -> tuple[Contest, int]:
    """The open contest and an entry from every student, made once: a contest found again is
    the demo's own by now (entries sent, withdrawn, its lifecycle moved on), and left alone."""
    contest = Contest.objects.filter(title=TITLE).first()
    if contest is not None:
        return contest, 0
    now = timezone.now()
    contest = contest_create(
        actor=organizer,
        network=national,
        title=TITLE,
        description=(
            "Cuộc thi dành cho học sinh, sinh viên trên cả nước: viết bài cảm nhận hoặc làm video giới thiệu "
            "một cuốn sách đã đọc, gửi qua thư viện trường hoặc thư viện tỉnh."
        ),
        code_prefix="DSVH26",
        status=ContestStatus.OPEN,
        submission_opens_at=now - timedelta(days=30),
        submission_closes_at=now + timedelta(days=30),
        **demo_structure(),
    )
    return contest, demo_entries_seed(contest=contest, rng=random.Random(TITLE))


def demo_entries_seed(*, contest: Contest, rng: random.Random, every: int = 1) -> int:
    """An entry from every student (every `every`-th one) who has none in the contest yet."""
    categories = {c.name: c for c in contest.categories.all()}
    students = (
        User.objects.filter(library__isnull=False, staff_roles__isnull=True)
        .exclude(entries__contest=contest)
        .select_related("library")
        .order_by("username")
    )
    taken = set(Entry.objects.filter(contest=contest).values_list("code", flat=True))
    entries = []
    for student in list(students)[::every]:
        book, author, publisher = rng.choice(BOOKS)
        category = categories[JUNIOR if student.library.short_name in SCHOOL_LIBRARIES else SENIOR]
        body = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(8, 30)))
        code = entry_code_new(contest.code_prefix)
        while code in taken:
            code = entry_code_new(contest.code_prefix)
        taken.add(code)
        entries.append(
            Entry(
                contest=contest,
                category=category,
                entrant=student,
                library=student.library,
                submitted_by=student,
                code=code,
                title=rng.choice(TITLES).format(book=book, author=author),
                book_title=book,
                book_author=author,
                book_publisher=publisher,
                book_year=rng.randint(1990, 2025),
                body=body,
                word_count=words_count(body),
                video_url=f"https://www.youtube.com/watch?v=demo{rng.randint(1000, 9999)}"
                if rng.random() < 0.2
                else "",
                receipt_sent_at=timezone.now(),  # demo addresses get no mail
            )
        )
    Entry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
