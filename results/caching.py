"""Publication day: the public reads of a published result are cacheable.

A published result is frozen (contests.permissions.results_frozen): what its pages show changes
only when it is published, unpublished, or its leaderboard is rewritten. Each of those gives
the contest a new ResultsVersion (a random tag and the second it changed, later than the last),
written in the same transaction as the change. The public reads answer from it:
- `ETag` (the tag, the language and the format) and `Last-Modified`, and a 304 without a body
  to `If-None-Match` / `If-Modified-Since` that still match;
- `Cache-Control: public` with RESULTS_MAX_AGE (0 by default: a proxy or CDN in front keeps
  the answer and asks again each time, which costs one query and no body);
- a server-side copy of the JSON in Django's cache (Redis, or the process's memory while Redis
  is down: core.cache), keyed by the tag, so that no copy is ever invalidated: a new version is
  simply a key nobody asked for yet.

Unpublishing changes the status and the version in one commit: from then on the public is
refused (the visibility check comes before any of this) and the organizers get the live,
private answer; an old tag matches nothing. Before publication only the organizers read the
result, and it still changes: those answers are `private, no-cache`, never stored here.
"""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from rest_framework.response import Response

from contests.models import Contest
from contests.permissions import results_frozen
from results.models import ResultsVersion


@transaction.atomic
def results_version_bump(*, contest: Contest) -> ResultsVersion:
    """In the transaction of the change (the caller holds the contest's row lock). Each version's
    Last-Modified is a whole second later than the one before, so that a client holding the
    old date never matches the new one, even within the same second."""
    now = timezone.now().replace(microsecond=0)
    version = ResultsVersion.objects.select_for_update().filter(contest=contest).first()
    if version is None:
        return ResultsVersion.objects.create(contest=contest, tag=secrets.token_hex(8), changed_at=now)
    version.tag = secrets.token_hex(8)
    version.changed_at = max(now, version.changed_at + timedelta(seconds=1))
    version.save(update_fields=["tag", "changed_at"])
    return version


def _version(contest: Contest) -> ResultsVersion:
    """The contest's version, read with the contest itself when it was (select_related), else
    one query; a contest published before versions existed gets its first one here."""
    try:
        return contest.results_version
    except ResultsVersion.DoesNotExist:
        return ResultsVersion.objects.get_or_create(
            contest=contest, defaults={"tag": secrets.token_hex(8), "changed_at": timezone.now().replace(microsecond=0)}
        )[0]


def _shared(request) -> None:
    """The answer is the same whoever asks, so a shared cache may keep one copy for everyone:
    learning who asked read the session, which would make SessionMiddleware add `Vary: Cookie`
    (a copy per browser, every page sets a CSRF cookie). Only that mark is undone: a session
    that changed is still saved."""
    session = getattr(request, "session", None)
    if session is not None:
        session.accessed = False


def _headers(response: HttpResponseBase, etag: str, version: ResultsVersion) -> HttpResponseBase:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version.changed_at.timestamp())
    patch_cache_control(response, public=True, max_age=settings.RESULTS_MAX_AGE, must_revalidate=True)
    return response


def results_read(request, contest: Contest, build: Callable[[], HttpResponseBase], *, store: bool) -> HttpResponseBase:
    """Answers a read of the contest's result (the caller has checked who may see it): `build`
    makes the full answer. `store`: keep the JSON (`Response.data`) in the cache; left False for
    the CSVs, which stream and may be large (they still get their 304s)."""
    if not results_frozen(contest):
        response = build()
        patch_cache_control(response, private=True, no_cache=True)
        return response
    _shared(request)
    version = _version(contest)
    renderer = getattr(getattr(request, "accepted_renderer", None), "format", "")
    etag = quote_etag(f"{version.tag}-{get_language()}-{renderer}")
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(version.changed_at.timestamp()))
    if not_modified is not None:
        return _headers(not_modified, etag, version)
    if not store:
        return _headers(build(), etag, version)
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    key = f"results:{contest.pk}:{version.tag}:{get_language()}:{url}"
    data = cache.get(key)
    if data is None:
        response = build()
        if response.status_code == 200:
            cache.set(key, response.data, settings.RESULTS_CACHE_SECONDS)
    else:
        response = Response(data)
    return _headers(response, etag, version)
