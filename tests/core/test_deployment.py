"""The image and compose files, checked by reading them (no Docker engine on the development
machine): what `docker compose up` needs to come up healthy, and the production profile."""

import re
import runpy
from pathlib import Path

import pytest
import yaml
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = {"setup", "web", "worker", "certificates", "beat"}  # built from the image


def compose(name: str = "compose.yaml") -> dict:
    return yaml.safe_load((ROOT / name).read_text())


def dockerfile_instruction(name: str) -> str:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    (line,) = [line for line in text.splitlines() if line.startswith(f"{name} ")]
    return line


def test_the_app_services_are_the_images():
    services = compose()["services"]

    assert {name for name, service in services.items() if service.get("build") == "."} == APP_SERVICES


def test_only_setup_migrates_and_the_others_start_once_it_has():
    services = compose()["services"]

    migrating = {name for name, service in services.items() if "migrate" in str(service.get("command", ""))}
    assert migrating == {"setup"}
    assert services["setup"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    for name in APP_SERVICES - {"setup"}:
        assert services[name]["depends_on"] == {"setup": {"condition": "service_completed_successfully"}}, name


def test_only_web_keeps_the_images_web_health_check():
    services = compose()["services"]

    assert "healthcheck" not in services["web"]
    assert "/healthz/" in dockerfile_instruction("HEALTHCHECK")
    for name in APP_SERVICES - {"web"}:
        assert "healthcheck" in services[name], f"{name} would inherit the web's HEALTHCHECK"
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])


def test_the_laptops_profile_serves_the_demo_over_plain_http_on_localhost():
    services = compose()["services"]
    environment = services["web"]["environment"]

    assert services["web"]["env_file"] == [{"path": ".env", "required": False}]  # no .env needed
    assert (environment["DJANGO_SETTINGS_MODULE"], environment["DEBUG"]) == ("config.settings", "false")
    assert environment["ALLOWED_HOSTS"] == "${ALLOWED_HOSTS:-localhost,127.0.0.1}"
    assert environment["SITE_URL"] == "${SITE_URL:-http://localhost:8000}"
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert "seed_demo" in services["setup"]["command"]


def test_the_production_profile_keeps_https_and_needs_a_real_secret():
    services = compose("compose.production.yaml")["services"]

    assert set(services) == APP_SERVICES
    for name, service in services.items():
        environment = service["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.production", name
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), name
        assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?"), name
    assert "seed_demo" not in services["setup"]["command"]


def test_gunicorn_serves_with_threads_so_that_streams_outlive_the_timeout():
    settings = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))

    assert (settings["worker_class"], settings["bind"]) == ("gthread", "0.0.0.0:8000")
    assert dockerfile_instruction("CMD") == 'CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]'
    assert "command" not in compose()["services"]["web"]


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "172.18.0.5:8000"])
@override_settings(ALLOWED_HOSTS=["docsach.example.vn"], SECURE_SSL_REDIRECT=True)
def test_the_health_check_is_answered_by_address_over_plain_http(db, host):
    url = re.search(r"'http://[^/]+(/[^']*)'", dockerfile_instruction("HEALTHCHECK")).group(1)

    probe = Client().get(url, HTTP_HOST=host)
    page = Client().get("/api/contests/", HTTP_HOST=host)

    assert (probe.status_code, probe.json()) == (200, {"status": "ok"})
    assert page.status_code == 400  # every other path still checks the host
