"""The throttles' cache with Redis down: sign-in, registration and verification answer (never a
500) and are still throttled, counting in the process's memory (core.cache). Here Redis is a
port where nothing listens; the fault suite (tests/faults) also pauses a real one."""

import socket

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from core.breaker import breaker_for
from tests.factories import PASSWORD, StudentFactory


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once closed: nothing listens there


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FallbackRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return url


def test_with_redis_down_sign_in_answers_and_is_still_throttled(redis_down, monkeypatch, db):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    StudentFactory(username="hocsinh")
    client = APIClient()

    statuses = [
        client.post(reverse("auth-token"), {"username": "hocsinh", "password": PASSWORD}).status_code
        for _attempt in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    assert not breaker_for(redis_down).closed()  # Redis is skipped for a while, not tried per request


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", reverse("auth-login"), {"username": "hocsinh", "password": PASSWORD}),
        ("post", reverse("auth-register"), {"username": "moi", "password": "x"}),
        ("get", reverse("certificate-verify", kwargs={"code": "ABCD-EFGH-JKLM"}), None),
    ],
    ids=["session-sign-in", "register", "verify"],
)
def test_with_redis_down_the_throttled_endpoints_answer_without_a_500(redis_down, db, method, url, body):
    StudentFactory(username="hocsinh")

    response = getattr(APIClient(), method)(url, body, format="json") if body else APIClient().get(url)

    assert response.status_code in {200, 400, 404}


def test_the_cache_uses_redis_again_once_the_pause_is_over(redis_down, settings):
    settings.REDIS_RETRY_AFTER = 0

    cache.set("key", "value")
    tried_again = breaker_for(redis_down).closed()

    assert cache.get("key") == "value"  # from memory: Redis still does not answer
    assert tried_again
