"""The judges' shells: the same strict policy as every frontend page; the assignment's id reaches
the page's module as a data attribute."""

import pytest
from django.test import Client

from tests.frontend import test_pages

JUDGE_PAGES = ["/judge/", "/judge/assignments/7/"]


@pytest.mark.parametrize("path", JUDGE_PAGES)
def test_each_judge_page_is_a_shell_with_a_strict_csp(db, path):
    test_pages.test_each_page_is_a_shell_with_a_strict_csp_a_csrf_cookie_and_no_inline_script(db, path)


def test_the_assignment_page_carries_its_id(db):
    html = Client().get("/judge/assignments/7/").content.decode()

    assert 'data-page="judge_assignment"' in html
    assert 'data-assignment-id="7"' in html
    assert '<link rel="stylesheet" href="/static/frontend/judge.css">' in html
