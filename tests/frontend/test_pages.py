"""The frontend's shells as the server sends them; what they do in a browser is tests/e2e."""

import re

import pytest
from django.test import Client

from frontend.views import CONTENT_SECURITY_POLICY

PAGES = ["/", "/contests/1/", "/contests/1/results/", "/contests/1/leaderboard/", "/certificates/verify/", "/signin/"]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_a_shell_with_a_strict_csp_a_csrf_cookie_and_no_inline_script(db, path):
    response = Client().get(path)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "csrftoken" in response.cookies
    html = response.content.decode()
    assert re.findall(r"<script[^>]*>", html) == [
        f'<script type="module" src="/static/frontend/pages/{response.context["page"]}.js">'
    ]
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    assert "style=" not in html


def test_the_root_is_the_frontend_home_and_the_api_docs_stay_without_the_csp(db):
    client = Client()

    home = client.get("/")
    docs = client.get("/api/docs/")

    assert home.status_code == 200
    assert 'data-page="home"' in home.content.decode()
    assert docs.status_code == 200
    assert "Content-Security-Policy" not in docs  # Swagger UI starts from an inline script


def test_the_qr_codes_verify_page_is_still_the_plain_server_page(db):
    response = Client().get("/verify/ABCD-EFGH-JKMN/")

    assert response.status_code == 404
    assert "Content-Security-Policy" not in response
    assert "<script" not in response.content.decode()


def test_pages_answer_only_reads(db):
    assert Client().post("/").status_code == 405
