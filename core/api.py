"""What every API view shares: pagination and the one exception handler."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import filters, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError

logger = logging.getLogger(__name__)


class SearchFilter(filters.SearchFilter):
    def get_search_terms(self, request):
        # PostgreSQL refuses NUL in text; a NUL in a search box never matches anything anyway.
        return [term.replace("\x00", "") for term in super().get_search_terms(request)]


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {exc.field: [str(exc.message)]} if exc.field else {"detail": str(exc.message)}
        body["code"] = exc.code
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        else:
            body = {"detail": " ".join(str(m) for m in exc.messages)}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        # Services turn the constraint violations they expect into DomainErrors. Reaching here
        # means a race we did not foresee: the transaction is rolled back, nothing half-written
        # stays, and the client can retry. Logged loudly so that we add the proper check.
        logger.error("unmapped IntegrityError in %s", context.get("view"), exc_info=exc)
        return Response(
            {"detail": _("This conflicts with the current state; reload and try again."), "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
