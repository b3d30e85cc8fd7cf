from django.urls import reverse

from core.models import AuditEntry
from judging.models import Judge
from tests.factories import UserFactory


def test_an_organizer_adds_a_judge_in_the_admin_through_the_service(client, first_round):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    judge = UserFactory(full_name="Trần Quốc Việt")

    response = client.post(
        reverse("admin:judging_judge_add"), {"round": first_round.pk, "user": judge.pk, "weight": "1"}
    )

    assert response.status_code == 302
    assert list(Judge.objects.values_list("round", "user")) == [(first_round.pk, judge.pk)]
    assert AuditEntry.objects.get(action="judge.added").after == {"user": judge.pk, "weight": "1"}


def test_the_admin_refuses_a_judge_who_has_an_entry(client, first_round, essays, places):
    from tests.judging.helpers import entries_of

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    (entry,) = entries_of(essays, places.north_library, 1)

    response = client.post(
        reverse("admin:judging_judge_add"), {"round": first_round.pk, "user": entry.entrant_id, "weight": "1"}
    )

    assert response.status_code == 200  # the form again, with the reason
    assert "Người này có bài dự thi trong cuộc thi nên không thể làm giám khảo." in response.content.decode()
    assert Judge.objects.count() == 0
