import email
from email.policy import default as default_policy

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from people.models import User
from submissions.models import Entry
from tests.worker import wait_for, worker_start, worker_stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    process = worker_start(mail_dir=tmp_path / "mail", log_path=tmp_path / "worker.log")
    yield tmp_path / "mail"
    worker_stop(process)


def test_registration_mail_is_sent_by_a_real_worker_through_redis(worker, places):
    response = APIClient().post(
        reverse("auth-register"),
        {
            "username": "tranquocviet",
            "password": "Sach-hay-2026",
            "email": "viet@example.com",
            "full_name": "Trần Quốc Việt",
            "library": places.north_library.pk,
        },
        format="json",
    )
    assert response.status_code == 201

    welcomed = wait_for(lambda: User.objects.filter(username="tranquocviet", welcomed_at__isnull=False).exists())

    assert welcomed
    [message_file] = wait_for(lambda: list(worker.glob("*.log")), what="the e-mail file")
    message = email.message_from_bytes(message_file.read_bytes(), policy=default_policy)
    assert message["To"] == "viet@example.com"
    assert message["Subject"].strip() == "Chào mừng bạn đến với cuộc thi Đại sứ Văn hóa đọc"
    assert "Xin chào Trần Quốc Việt," in message.get_content()


def test_entry_receipt_is_sent_by_a_real_worker_through_redis(worker, role_users, contest, category):
    client = APIClient()
    client.force_authenticate(role_users["student"])
    response = client.post(
        reverse("contest-entries", kwargs={"contest_id": contest.pk}),
        {"category": category.pk, "title": "Bài", "book_title": "Tắt đèn", "book_author": "Ngô Tất Tố", "body": "Hay"},
        format="json",
    )
    assert response.status_code == 201

    wait_for(lambda: Entry.objects.filter(receipt_sent_at__isnull=False).exists(), what="the receipt")

    [message_file] = wait_for(lambda: list(worker.glob("*.log")), what="the e-mail file")
    message = email.message_from_bytes(message_file.read_bytes(), policy=default_policy)
    assert message["Subject"].strip() == f"Đã nhận bài dự thi: {response.json()['code']}"
