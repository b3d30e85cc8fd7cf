"""The load bench's baseline endpoint (core.bench) exists only on the bench's own server."""

import os
import subprocess
import sys
from pathlib import Path

from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_endpoint_is_not_routed_by_default(role_users):
    client = APIClient()
    client.force_authenticate(role_users["student"])

    assert client.post("/api/bench/insert/", {"body": "x"}, format="json").status_code == 404


def routed(settings_module: str) -> str:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "BENCH_ENDPOINTS": "true",
        "SECRET_KEY": "a-production-secret-" + "k7Qz" * 12,
    }
    code = (
        "import django; django.setup(); from django.urls import resolve, Resolver404\n"
        "try:\n    print(resolve('/api/bench/insert/').url_name)\nexcept Resolver404:\n    print('none')"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_production_profile_never_routes_it_whatever_the_environment_says():
    assert routed("config.settings") == "bench-insert"  # the bench's server asks for it
    assert routed("config.production") == "none"
