"""How large a request body the platform reads: refused from its Content-Length, before a byte
of it is read, parsed or written to disk.

JSON and form bodies: `DATA_UPLOAD_MAX_MEMORY_SIZE`. Django checks it only when a view reads
`request.body`; DRF's parsers read the stream directly, so without this a JSON body of any size
was read into memory. Multipart uploads: `UPLOAD_MAX_BYTES`, the largest file a category may
allow plus room for the form's other fields; views that know better (a contest's own largest
file) hold a body to less with `body_size_check` before authentication, which parses a POST's
form for its CSRF token.

Django reads no more than the Content-Length says (WSGIRequest's LimitedStream), so a body sent
chunked, without one, is read as empty rather than without limit.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from core.errors import DomainError


class RequestTooLarge(DomainError):
    status_code = 413
    code = "too_large"

    def __init__(self, *, size: int, limit: int):
        super().__init__(
            _("The request is {size} MB; at most {limit} MB are accepted here.").format(
                size=_megabytes(size), limit=_megabytes(limit)
            )
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads such a body as empty


def is_multipart(request) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")


def body_size_check(request, limit: int | None) -> None:
    size = content_length(request)
    if limit is not None and size > limit:
        raise RequestTooLarge(size=size, limit=limit)


class BodySizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.UPLOAD_MAX_BYTES if is_multipart(request) else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            body_size_check(request, limit)
        except RequestTooLarge as refused:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(refused.message), "code": refused.code}, status=413)
            return HttpResponse(str(refused.message), status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
