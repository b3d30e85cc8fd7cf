import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.test import override_settings
from django.urls import path
from django_celery_beat.models import PeriodicTask
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient

from config.schedule import PERIODIC_TASKS
from core.errors import Conflict

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_passes_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.production",
        SECRET_KEY="k" * 30 + "zq7W!p2#vR9sT4uY6iO8lA1dF3gH5jK",
        ALLOWED_HOSTS="docsach.example.vn",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_setup_periodic_tasks_declares_each_task_once(db):
    call_command("setup_periodic_tasks")
    call_command("setup_periodic_tasks")

    declared = PeriodicTask.objects.filter(name__in=PERIODIC_TASKS)
    assert sorted(declared.values_list("name", "task", "enabled")) == sorted(
        (name, task, True) for name, (task, _cron) in PERIODIC_TASKS.items()
    )
    assert {str(task.crontab.timezone) for task in declared if task.crontab} == {"Asia/Ho_Chi_Minh"}
    sweep = declared.get(task="core.tasks.outbox_sweep_task")
    assert (sweep.crontab, sweep.interval.every, sweep.interval.period) == (None, 30, "seconds")


def test_setup_periodic_tasks_disables_a_task_no_longer_declared(db, monkeypatch):
    call_command("setup_periodic_tasks")
    monkeypatch.setattr("core.management.commands.setup_periodic_tasks.PERIODIC_TASKS", {})

    call_command("setup_periodic_tasks")

    enabled = list(PeriodicTask.objects.filter(name__in=PERIODIC_TASKS).values_list("enabled", flat=True))
    assert enabled == [False] * len(PERIODIC_TASKS)


def test_healthz_answers_when_the_database_does(db):
    response = APIClient().get("/healthz/")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_unknown_api_path_is_a_json_404(db):
    response = APIClient().get("/api/libraries/0.5/", HTTP_ACCEPT_LANGUAGE="en")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found.", "code": "not_found"})


@api_view(["POST"])
@permission_classes([AllowAny])
def _raises_conflict(request):
    raise Conflict()


@api_view(["POST"])
@permission_classes([AllowAny])
def _raises_integrity_error(request):
    raise IntegrityError("duplicate key value violates unique constraint")


urlpatterns = [path("conflict/", _raises_conflict), path("integrity/", _raises_integrity_error)]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/conflict/", "/integrity/"])
def test_domain_errors_and_unforeseen_races_become_409(db, url):
    response = APIClient().post(url, HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Thao tác xung đột với dữ liệu hiện tại; hãy tải lại trang và thử lại.",
        "code": "conflict",
    }


def test_compiled_catalogue_translates_our_messages():
    from django.utils import translation

    with translation.override("vi"):
        assert translation.gettext("This username is already taken.") == "Tên đăng nhập này đã được sử dụng."
