import django_filters
from django.conf import settings
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.enums import ContestStatus
from contests.models import Category, Contest
from contests.permissions import can_manage_contest, contests_visible_to
from core import idempotency
from core.api import FilterSet, changes_required
from core.exports import csv_response
from core.limits import body_size_check, is_multipart
from core.parsing import ascii_number
from people.filters import NetworkSubtreeFilter
from people.models import Library
from people.permissions import staffed_library_ids
from submissions import imports, selectors, services
from submissions.enums import EntryStatus
from submissions.files import ATTACHMENT_CSP, CONTENT_TYPES
from submissions.models import Entry
from submissions.permissions import can_see_library
from submissions.serializers import (
    DisqualifySerializer,
    EntrySerializer,
    EntrySubmitSerializer,
    EntryUpdateSerializer,
    ImportResultSerializer,
    LibrarySummarySerializer,
    PaperEntrySerializer,
    PaperImportSerializer,
)


def _contest(request, contest_id) -> Contest:
    return get_object_or_404(
        contests_visible_to(request.user, Contest.objects.select_related("network")), pk=contest_id
    )


def _values(validated: dict) -> dict:
    return {key: validated[key] for key in services.EDITABLE_FIELDS if key in validated}


def _entry_response(request, entry: Entry, code=status.HTTP_200_OK) -> Response:
    entry = selectors.entries_list(user=request.user).get(pk=entry.pk)  # with its related rows, in one query
    return Response(EntrySerializer(entry, context={"request": request}).data, status=code)


REPLAYED = "Idempotent-Replayed"


def _replayed(response: Response) -> Response:
    response[REPLAYED] = "true"
    return response


IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    str,
    OpenApiParameter.HEADER,
    description=(
        "A new value (a UUID) per submission, the same when sending it again after an answer that never "
        "came: a request whose key already made something answers as it did, with the header "
        "`Idempotent-Replayed: true`, and creates nothing; keys are kept IDEMPOTENCY_KEY_HOURS (24). "
        "The same key with a different body is a 422."
    ),
)
IDEMPOTENT_RESPONSES = {
    422: OpenApiResponse(description="This Idempotency-Key was sent before with a different request."),
}


class UploadLimited:
    """An upload larger than the files it may carry is refused from its Content-Length, before
    anything reads it: authentication comes first in DRF, and its CSRF check parses a POST's
    form, writing the file to a temporary file on disk."""

    def upload_limit(self, **kwargs) -> int | None:
        return selectors.upload_limit(contest_id=ascii_number(str(kwargs.get("contest_id", ""))))

    def initial(self, request, *args, **kwargs):
        if is_multipart(request):
            body_size_check(request, self.upload_limit(**kwargs))
        super().initial(request, *args, **kwargs)


class EntrySubmitView(UploadLimited, APIView):
    """A student sends an entry to one of the contest's categories (JSON, or multipart with
    an `attachment`). 201 with the entry's sealed `code`."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request={"multipart/form-data": EntrySubmitSerializer, "application/json": EntrySubmitSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: EntrySerializer, **IDEMPOTENT_RESPONSES},
    )
    def post(self, request, contest_id):
        serializer = EntrySubmitSerializer(data=request.data)
        if not serializer.is_valid():
            _contest(request, contest_id)  # an unknown contest is a 404 whatever the body
            raise ValidationError(serializer.errors)
        data = serializer.validated_data
        contest = data["category"].contest  # read with the category, its network too
        if contest.pk != contest_id or contest.status == ContestStatus.DRAFT:
            contest = _contest(request, contest_id)  # the service says what is wrong, if it is visible
        try:
            entry = services.entry_submit(
                entrant=request.user,
                contest=contest,
                category=data["category"],
                values=_values(data),
                attachment=data.get("attachment"),
                request_key=idempotency.request_key(request),
            )
        except idempotency.RequestRepeated as repeated:
            return _replayed(_entry_response(request, Entry(pk=repeated.results[0]), status.HTTP_201_CREATED))
        # The entry as it was written, with the rows the service read: no read-back.
        return Response(EntrySerializer(entry, context={"request": request}).data, status=status.HTTP_201_CREATED)


class EntryFilter(FilterSet):
    contest = django_filters.ModelChoiceFilter(queryset=Contest.objects.all())
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all())
    library = django_filters.ModelChoiceFilter(queryset=Library.objects.all())
    network = NetworkSubtreeFilter(path_field="library__network__path")
    status = django_filters.ChoiceFilter(choices=EntryStatus.choices)

    class Meta:
        model = Entry
        fields = ["contest", "category", "library", "network", "status"]


class EntryViewSet(
    UploadLimited,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Students see their own entries, library staff their library's, organizers all of their
    contests'. The entrant edits (PATCH) and withdraws (DELETE) until the deadline."""

    permission_classes = [IsAuthenticated]
    serializer_class = EntrySerializer
    filterset_class = EntryFilter
    search_fields = ["code", "title", "book_title", "entrant__full_name"]
    ordering_fields = ["created_at", "id"]
    http_method_names = ["get", "patch", "delete", "post", "head", "options"]

    def get_queryset(self):
        return selectors.entries_list(user=self.request.user)

    def upload_limit(self, **kwargs) -> int | None:
        return selectors.upload_limit(entry_id=ascii_number(str(kwargs.get("pk", ""))))

    @extend_schema(
        request={"multipart/form-data": EntryUpdateSerializer, "application/json": EntryUpdateSerializer},
        responses={200: EntrySerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        serializer = EntryUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes_required(serializer.validated_data)
        services.entry_update(
            actor=request.user,
            entry=entry,
            values=_values(serializer.validated_data),
            attachment=serializer.validated_data.get("attachment"),
        )
        return _entry_response(request, entry)

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        services.entry_withdraw(actor=request.user, entry=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DisqualifySerializer, responses={200: EntrySerializer})
    @action(detail=True, methods=["post"])
    def disqualify(self, request, pk=None):
        entry = self.get_object()
        serializer = DisqualifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.entry_disqualify(actor=request.user, entry=entry, reason=serializer.validated_data["reason"])
        return _entry_response(request, entry)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def attachment(self, request, pk=None):
        entry = self.get_object()  # the queryset holds only entries this user may see
        if not entry.attachment:
            raise NotFound(_("This entry has no attachment."))
        response = FileResponse(
            entry.attachment.open("rb"),
            as_attachment=True,
            filename=entry.attachment_name or entry.attachment.name.rsplit("/", 1)[-1],
            content_type=CONTENT_TYPES.get(entry.attachment_type, "application/octet-stream"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = ATTACHMENT_CSP
        return response


class PaperEntryView(UploadLimited, APIView):
    """Library staff register a paper entry for a student of their library: typed text or a scan."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request={"multipart/form-data": PaperEntrySerializer, "application/json": PaperEntrySerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: EntrySerializer, **IDEMPOTENT_RESPONSES},
    )
    def post(self, request, contest_id):
        contest = _contest(request, contest_id)
        serializer = PaperEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            entry = services.paper_entry_register(
                staff=request.user,
                contest=contest,
                library=data["library"],
                category=data["category"],
                values=_values(data),
                entrant=data.get("entrant"),
                entrant_full_name=data.get("entrant_full_name", ""),
                entrant_email=data.get("entrant_email", ""),
                attachment=data.get("attachment"),
                request_key=idempotency.request_key(request),
            )
        except idempotency.RequestRepeated as repeated:
            return _replayed(_entry_response(request, Entry(pk=repeated.results[0]), status.HTTP_201_CREATED))
        return _entry_response(request, entry, status.HTTP_201_CREATED)


class PaperImportView(UploadLimited, APIView):
    """Paper entries from a CSV, all or none. A file with bad rows imports nothing and answers
    400 with `rows`: [{"row": line, "errors": {field: [message]}}]."""

    permission_classes = [IsAuthenticated]

    def upload_limit(self, **kwargs) -> int:
        return imports.CSV_MAX_BYTES + settings.UPLOAD_MARGIN_BYTES

    @extend_schema(
        request={"multipart/form-data": PaperImportSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ImportResultSerializer, **IDEMPOTENT_RESPONSES},
    )
    def post(self, request, contest_id):
        contest = _contest(request, contest_id)
        serializer = PaperImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > imports.CSV_MAX_BYTES:
            raise ValidationError({"file": [_("The CSV may be at most 5 MB.")]})
        try:
            created = imports.paper_entries_import(
                staff=request.user,
                contest=contest,
                library=serializer.validated_data["library"],
                data=upload.read(),
                request_key=idempotency.request_key(request),
            )
        except imports.ImportRejected as rejected:
            return Response(
                {"detail": str(rejected.message), "code": rejected.code, "rows": rejected.rows},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except idempotency.RequestRepeated as repeated:
            codes = dict(Entry.objects.filter(pk__in=repeated.results).values_list("pk", "code"))
            answer = {"imported": len(repeated.results), "codes": [codes[pk] for pk in repeated.results]}
            return _replayed(Response(answer, status=status.HTTP_201_CREATED))
        return Response({"imported": len(created), "codes": [e.code for e in created]}, status=status.HTTP_201_CREATED)


class LibrarySummaryView(APIView):
    """A library's part in a contest: members, entrants, entries per category, latest entries.
    For the library's staff and the contest's organizers."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("library", int, description="defaults to the library you staff")],
        responses={200: LibrarySummarySerializer},
    )
    def get(self, request, contest_id):
        contest = _contest(request, contest_id)
        raw = request.query_params.get("library")
        if raw is None:
            staffed = sorted(staffed_library_ids(request.user))
            if len(staffed) == 1:
                library_id = staffed[0]
            elif staffed or can_manage_contest(request.user, contest):
                raise ValidationError({"library": [_("Say which library.")]})
            else:
                raise PermissionDenied()
        elif (library_id := ascii_number(raw)) is None:
            raise ValidationError({"library": [_("Give a library's id.")]})
        library = get_object_or_404(Library.objects.select_related("network"), pk=library_id)
        if not can_see_library(request.user, contest=contest, library=library):
            raise PermissionDenied()
        summary = selectors.library_summary(contest=contest, library=library)
        return Response(LibrarySummarySerializer(summary, context={"request": request}).data)


class EntriesExportView(APIView):
    """All of a contest's entries as CSV for Excel (UTF-8 with BOM); organizers only."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    def get(self, request, contest_id):
        contest = _contest(request, contest_id)
        if not can_manage_contest(request.user, contest):
            raise PermissionDenied()
        filters = EntryFilter(request.query_params, queryset=Entry.objects.filter(contest=contest))
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        entries = filters.qs
        header = [label for _key, label in selectors.EXPORT_COLUMNS]
        return csv_response(f"entries-{contest.code_prefix}.csv", header, selectors.entries_export_rows(entries))
