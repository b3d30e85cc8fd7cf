"""CSV exports of the published result and the leaderboards, as a spreadsheet opens them."""

import csv
import io

from django.urls import reverse
from django.utils import timezone

from contests.enums import ContestStatus
from people.models import User
from results import prizes
from results.leaderboard import leaderboard_refresh
from tests.results.helpers import api, ranking


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads Vietnamese as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_published_result_and_leaderboard_export_as_csv(
    judged_contest, final_round, essays, tiers, places, organizer
):
    entries = ranking(final_round, essays, places.north_library, [1, 2], title="Bài ")
    # The first entrant agreed to their name being published; the second did not: their code stands in.
    User.objects.filter(pk=entries[0].entrant_id).update(publish_consent_at=timezone.now())
    prizes.prizes_award(actor=organizer, contest=judged_contest)
    prizes.special_prize_give(actor=organizer, contest=judged_contest, entry_id=entries[1].pk, name="Sáng tạo")
    leaderboard_refresh(contest=judged_contest)
    judged_contest.status = ContestStatus.PUBLISHED
    judged_contest.save()
    contest = {"pk": judged_contest.pk}

    results = csv_rows(api(None).get(reverse("contest-results-csv", kwargs=contest), HTTP_ACCEPT_LANGUAGE="en"))
    board = csv_rows(api(None).get(reverse("contest-leaderboard-csv", kwargs=contest), HTTP_ACCEPT_LANGUAGE="vi"))

    assert results == [
        ["Category", "Rank", "Code", "Entrant", "Library", "Title", "Score", "Prizes"],
        [
            "Bài viết",
            "1",
            entries[0].code,
            "Nguyễn Thị Hường",
            "Thư viện Đại học Vinh",
            "Bài 0",
            "99.0000",
            "Giải Nhất",
        ],
        [
            "Bài viết",
            "2",
            entries[1].code,
            entries[1].code,
            "Thư viện Đại học Vinh",
            "Bài 1",
            "98.0000",
            "Giải Nhì; Sáng tạo",
        ],
    ]
    assert board == [
        [
            "Hạng",
            "Tên",
            "Bài dự thi",
            "Người dự thi",
            "Học sinh, sinh viên",
            "Tỉ lệ tham gia",
            "Điểm trung bình",
            "Giải Nhất",
            "Giải Nhì",
            "Giải Ba",
            "Số bài đạt giải",
            "Điểm thi đua",
        ],
        ["1", "Thư viện Đại học Vinh", "2", "2", "", "", "98.5000", "1", "1", "0", "2", "15"],
    ]


def test_a_title_that_looks_like_a_formula_stays_text(judged_contest, final_round, essays, tiers, places, organizer):
    (entry,) = ranking(final_round, essays, places.north_library, [1])
    entry.title = '=HYPERLINK("http://example.com")'
    entry.save()

    rows = csv_rows(api(organizer).get(reverse("contest-results-csv", kwargs={"pk": judged_contest.pk})))

    assert rows[1][5] == '\'=HYPERLINK("http://example.com")'
