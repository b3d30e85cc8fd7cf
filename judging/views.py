import django_filters
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from contests.models import Category, Round
from core.api import FilterSet
from core.errors import Conflict, DomainError
from judging import closing, selectors, services
from judging.enums import AssignmentState
from judging.models import Anchor, Assignment, Judge
from judging.permissions import can_manage_round
from judging.serializers import (
    AnchorAddSerializer,
    AnchorSerializer,
    AssignmentBriefSerializer,
    AssignmentReportSerializer,
    AssignmentSerializer,
    CalibrationSerializer,
    CloseReportSerializer,
    CloseSerializer,
    DisagreementSerializer,
    ExtraJudgeSerializer,
    JudgeAddSerializer,
    JudgeSerializer,
    ProgressSerializer,
    RecusalSerializer,
    RoundDetailSerializer,
    ScoreInputSerializer,
)
from people.models import User
from submissions.files import ATTACHMENT_CSP, CONTENT_TYPES
from submissions.models import Entry


class AttachmentNotReady(Conflict):
    code = "attachment_not_ready"
    default_message = gettext_lazy(
        "This entry's file has not been prepared for blind judging yet; ask the contest's organizers."
    )


class RoundViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A round: its organizers run it (judges, assignment, progress, closing); its judges read
    it; once the contest is published, anyone reads it and its results."""

    serializer_class = RoundDetailSerializer
    queryset = Round.objects.none()  # for the schema; get_queryset filters by who asks

    def get_permissions(self):
        if self.action == "retrieve":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self):
        return selectors.rounds_visible_to(self.request.user).prefetch_related("criteria")

    def _managed_round(self) -> Round:
        judging_round = self.get_object()
        if not can_manage_round(self.request.user, judging_round):
            raise PermissionDenied()
        return judging_round

    @extend_schema(
        methods=["GET"], responses={200: JudgeSerializer(many=True)}, description="The round's panel (organizers)."
    )
    @extend_schema(methods=["POST"], request=JudgeAddSerializer, responses={201: JudgeSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def judges(self, request, pk=None):
        judging_round = self._managed_round()
        if request.method == "GET":
            panel = Judge.objects.filter(round=judging_round).select_related("user").order_by("user__full_name")
            return Response(JudgeSerializer(panel, many=True).data)
        serializer = JudgeAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            judge = services.judge_add(actor=request.user, judging_round=judging_round, **serializer.validated_data)
        except DomainError as refusal:
            if refusal.field == "user" and "username" in request.data:
                refusal.field = "username"  # the panel's rules answer on the field the client sent
            raise
        return Response(JudgeSerializer(judge).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None}, description="Take a judge off the panel; their submitted scores stay.")
    @action(detail=True, methods=["delete"], url_path=r"judges/(?P<user_id>\d+)")
    def judge_remove(self, request, pk=None, user_id=None):
        judging_round = self._managed_round()
        user = get_object_or_404(User, pk=user_id)
        services.judge_remove(actor=request.user, judging_round=judging_round, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        responses={200: AnchorSerializer(many=True)},
        description="The round's anchor entries: every judge marks them, on top of their load (organizers).",
    )
    @extend_schema(
        methods=["POST"],
        request=AnchorAddSerializer,
        responses={201: AnchorSerializer},
        description="Make an entry an anchor; the next assignment run gives it to every judge who may take it.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def anchors(self, request, pk=None):
        judging_round = self._managed_round()
        if request.method == "GET":
            anchors = Anchor.objects.filter(round=judging_round).select_related("entry__category")
            return Response(AnchorSerializer(anchors, many=True).data)
        serializer = AnchorAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        anchor = services.anchor_add(
            actor=request.user, judging_round=judging_round, entry=serializer.validated_data["entry"]
        )
        return Response(AnchorSerializer(anchor).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={204: None},
        description="An anchor becomes an ordinary entry; the next assignment run drops its unmarked anchor work.",
    )
    @action(detail=True, methods=["delete"], url_path=r"anchors/(?P<entry_id>\d+)")
    def anchor_remove(self, request, pk=None, entry_id=None):
        judging_round = self._managed_round()
        entry = get_object_or_404(Entry, pk=entry_id)
        services.anchor_remove(actor=request.user, judging_round=judging_round, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: AssignmentReportSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        report = services.round_assign(actor=request.user, judging_round=self._managed_round())
        return Response(AssignmentReportSerializer(report).data)

    @extend_schema(responses={200: ProgressSerializer})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        return Response(ProgressSerializer(selectors.round_progress(self._managed_round())).data)

    @extend_schema(responses={200: CalibrationSerializer})
    @action(detail=True, methods=["get"])
    def calibration(self, request, pk=None):
        return Response(CalibrationSerializer(selectors.round_calibration(self._managed_round())).data)

    @extend_schema(responses={200: DisagreementSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def disagreements(self, request, pk=None):
        judging_round = self._managed_round()
        page = selectors.disagreements_detail(
            judging_round, self.paginate_queryset(selectors.disagreements(judging_round))
        )
        return self.get_paginated_response(DisagreementSerializer(page, many=True).data)

    @extend_schema(request=ExtraJudgeSerializer, responses={201: AssignmentBriefSerializer})
    @action(detail=True, methods=["post"])
    def extra_judge(self, request, pk=None):
        judging_round = self._managed_round()
        serializer = ExtraJudgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.extra_judge_add(
            actor=request.user, judging_round=judging_round, entry=serializer.validated_data["entry"]
        )
        return Response(
            {"id": assignment.pk, "entry": assignment.entry_id, "judge": assignment.judge_id},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=CloseSerializer, responses={200: CloseReportSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        judging_round = self._managed_round()
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = closing.round_close(
            actor=request.user, judging_round=judging_round, force=serializer.validated_data["force"]
        )
        return Response(CloseReportSerializer(report).data)


class AssignmentFilter(FilterSet):
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.all())
    category = django_filters.ModelChoiceFilter(field_name="entry__category", queryset=Category.objects.all())
    state = django_filters.ChoiceFilter(choices=AssignmentState.choices, method="state_filter")
    # Choices, not a BooleanFilter: that one reads `?current=maybe` as no filter at all, where a
    # client's mistake should be a 400 like every other filter's.
    current = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="current_filter",
        label="true: only the rounds being judged now; false: the others (closed, past years)",
    )

    class Meta:
        model = Assignment
        fields = ["round", "category", "state", "current"]

    def state_filter(self, queryset, name, value):
        return queryset.filter(selectors.assignment_state_q(value))

    def current_filter(self, queryset, name, value):
        being_judged = Round.objects.filter(selectors.rounds_being_judged())
        return queryset.filter(round__in=being_judged) if value == "true" else queryset.exclude(round__in=being_judged)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A judge's own queue, blind: entry content and the judge's own marks, nothing about the
    entrant and nothing of the other judges."""

    permission_classes = [IsAuthenticated]
    filterset_class = AssignmentFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return selectors.assignments_for_judge(user=self.request.user)

    def get_serializer_class(self):
        return AssignmentBriefSerializer if self.action == "list" else AssignmentSerializer

    @extend_schema(request=ScoreInputSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["put"])
    def score(self, request, pk=None):
        assignment = self.get_object()
        serializer = ScoreInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.score_record(
            judge=request.user,
            assignment=assignment,
            marks=data["marks"],
            comment=data["comment"],
            submit=data["submit"],
        )
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)

    @extend_schema(request=RecusalSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def recuse(self, request, pk=None):
        serializer = RecusalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.recusal_declare(
            judge=request.user, assignment=self.get_object(), reason=serializer.validated_data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def attachment(self, request, pk=None):
        entry = self.get_object().entry  # the queryset holds only this judge's own assignments
        if not entry.attachment:
            raise NotFound(_("This entry has no attachment."))
        if not entry.blind_attachment:  # sent before files were cleaned: the original names its author
            raise AttachmentNotReady()
        extension = entry.blind_attachment.name.rsplit(".", 1)[-1]
        response = FileResponse(
            entry.blind_attachment.open("rb"),
            as_attachment=False,  # a PDF opens in the browser, next to the scoring form
            filename=f"{entry.code}.{extension}",  # the entrant's own file name may carry their name
            content_type=CONTENT_TYPES.get(entry.attachment_type, "application/octet-stream"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        # The judge's page shows a PDF in an <iframe> of this site, next to the scoring form;
        # other sites still may not frame it (XFrameOptionsMiddleware leaves a set header alone,
        # and the policy's frame-ancestors says the same to browsers that read it).
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = ATTACHMENT_CSP
        return response
