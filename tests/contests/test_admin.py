from django.urls import reverse
from django.utils.timezone import localtime

from contests.enums import ContestStatus
from core.models import AuditEntry
from tests.factories import UserFactory


def admin_form(contest, **changes):
    opens, closes = localtime(contest.submission_opens_at), localtime(contest.submission_closes_at)
    data = {
        "title": contest.title,
        "description": contest.description,
        "network": contest.network_id,
        "code_prefix": contest.code_prefix,
        "language": contest.language,
        "submission_opens_at_0": opens.strftime("%Y-%m-%d"),
        "submission_opens_at_1": opens.strftime("%H:%M:%S"),
        "submission_closes_at_0": closes.strftime("%Y-%m-%d"),
        "submission_closes_at_1": closes.strftime("%H:%M:%S"),
        "status": contest.status,
    }
    for prefix in ("categories", "rounds", "prize_tiers"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | changes


def test_admin_refuses_to_move_a_contest_backwards(client, contest):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    contest.status = ContestStatus.CLOSED
    contest.save()

    response = client.post(
        reverse("admin:contests_contest_change", args=[contest.pk]), admin_form(contest, status="open")
    )

    assert response.status_code == 200  # the form again, with the error
    assert "chỉ chuyển sang giai đoạn sau" in response.content.decode()
    contest.refresh_from_db()
    assert contest.status == ContestStatus.CLOSED


def test_admin_changes_go_through_the_service_and_are_audited(client, contest):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    contest.submission_opens_at = contest.submission_opens_at.replace(microsecond=0)  # what the form shows
    contest.submission_closes_at = contest.submission_closes_at.replace(microsecond=0)
    contest.save()

    response = client.post(
        reverse("admin:contests_contest_change", args=[contest.pk]), admin_form(contest, title="Tên mới của cuộc thi")
    )

    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.title == "Tên mới của cuộc thi"
    assert AuditEntry.objects.get(action="contest.updated").after == {"title": "Tên mới của cuộc thi"}
