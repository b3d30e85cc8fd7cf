"""What every API view shares: pagination and the one exception handler."""

import logging

import django_filters
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError
from core.parsing import ascii_number

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # DRF silently falls back to the default for a bad page_size; say so instead.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (ascii_number(raw) or 0) > 0:
            raise ValidationError({self.page_size_query_param: [_("Enter a whole number from 1 to 200.")]})
        return super().get_page_size(request)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(_("Invalid page."))
        return super().get_page_number(request, paginator)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        if exc.field:  # the same shape as any field's validation error
            # Several problems of one field come at once (every bad mark of a score, say).
            messages = getattr(exc, "messages", None) or [exc.message]
            return Response({exc.field: [str(m) for m in messages], **exc.data}, status=exc.status_code)
        return Response({"detail": str(exc.message), "code": exc.code, **exc.data}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        else:
            body = {"detail": " ".join(str(m) for m in exc.messages)}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        # A multipart form's fields past DATA_UPLOAD_MAX_MEMORY_SIZE (Django counts them as it parses).
        return Response(
            {"detail": _("The form's fields are larger than the platform accepts."), "code": "too_large"},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response(
            {"detail": _("The form has more fields or files than the platform accepts."), "code": "too_many_fields"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = NotFound()  # Django's text ("No Entry matches the given query.") is neither translated nor for users
    if isinstance(exc, IntegrityError):
        # Services turn the constraint violations they expect into DomainErrors. Reaching here
        # means a race we did not foresee: the transaction is rolled back, nothing half-written
        # stays, and the client can retry. Logged loudly so that we add the proper check.
        logger.error("unmapped IntegrityError in %s", context.get("view"), exc_info=exc)
        return Response(
            {"detail": _("This conflicts with the current state; reload and try again."), "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # A non-field ValidationError (e.g. DRF's "no NUL in a search"): one shape for all errors.
        response.data = {"detail": " ".join(str(message) for message in response.data)}
    return response


class FilterSet(django_filters.FilterSet):
    """`?network=` (empty) is a client's mistake, not "no filter": the schema says integer."""

    def is_valid(self):
        valid = super().is_valid()
        empty = [name for name in self.filters if name in self.data and self.data.get(name) == ""]
        for name in empty:
            self.form.add_error(name, _("Give a value, or leave the parameter out."))
        return valid and not empty


def changes_required(validated: dict) -> dict:
    """A PATCH that changes nothing is most likely a client sending the wrong shape."""
    if not validated:
        raise ValidationError({"detail": _("Send at least one field to change.")})
    return validated
