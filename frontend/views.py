"""The frontend's pages: static HTML shells whose ES modules fill them from the HTTP API.

No view here reads the database: every figure on a page comes through the API, as it would for
any other client. The shells carry no data and no inline script, so a strict
Content-Security-Policy holds on every one of them.
"""

from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from core.pages import content_security_policy


def page(template: str):
    """A view that renders one shell; the URL's arguments (a contest id) reach the page's module
    as data attributes."""

    @require_safe
    @content_security_policy
    @ensure_csrf_cookie  # api.js reads the cookie to send X-CSRFToken on writes (sign in)
    def view(request, **kwargs):
        return render(request, f"frontend/{template}.html", {"page": template, **kwargs})

    view.__name__ = f"{template}_page"
    return view


home = page("home")
contest = page("contest")
results = page("results")
leaderboard = page("leaderboard")
verify = page("verify")
signin = page("signin")

register = page("register")
student_entries = page("student_entries")
student_certificates = page("student_certificates")
judge_queue = page("judge_queue")
judge_assignment = page("judge_assignment")
library = page("library")
organize = page("organize")
organize_contest = page("organize_contest")
organize_round = page("organize_round")
organize_screening = page("organize_screening")

public_vote = page("public_vote")
confirm_email = page("confirm_email")
organize_vote = page("organize_vote")
