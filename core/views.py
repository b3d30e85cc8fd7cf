from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found, server_error


def healthz(request):
    """For load balancers and compose: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def api_aware_not_found(request, exception=None):
    """JSON for API clients, even for paths no route matches (/api/libraries/0.5/)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return page_not_found(request, exception)


def api_aware_server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Something went wrong on our side; it has been logged."), "code": "error"}, status=500
        )
    return server_error(request)
