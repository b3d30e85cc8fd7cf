from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Contest
from contests.permissions import can_manage_contest, contests_visible_to
from core.parsers import JSONParser
from people.permissions import is_organizer
from privacy import consent, requests, retention, selectors
from privacy.export import person_zip
from privacy.models import ErasureRequest, GuardianConsent
from privacy.permissions import erasure_requests_visible_to, people_looked_after_q
from privacy.serializers import (
    ConsentWaitingSerializer,
    ErasureAskSerializer,
    ErasureRequestSerializer,
    GuardianConsentPaperSerializer,
    GuardianConsentRequestSerializer,
    GuardianConsentSerializer,
    PrivacyStatusSerializer,
    PublishConsentSerializer,
    RetentionInputSerializer,
    RetentionSerializer,
)
from submissions.models import Entry


def waiting_reason() -> str:
    return _(
        "Waiting for a parent's or guardian's consent: an entrant under {age} is judged once a parent or guardian "
        "has agreed (online from the e-mailed link, or on paper at the library)."
    ).format(age=settings.PRIVACY_MINOR_AGE)


def privacy_status(person) -> dict:
    waiting = selectors.entries_awaiting_consent(Entry.objects.filter(entrant=person)).select_related("contest")
    reason = waiting_reason()
    return {
        "birth_date": person.birth_date,
        "minor": selectors.is_minor(person),
        "guardian_consent": selectors.has_guardian_consent(person),
        "publish_consent": person.publish_consent_at is not None,
        "waiting": [
            {"entry": e.pk, "code": e.code, "contest": e.contest_id, "contest_title": e.contest.title, "reason": reason}
            for e in waiting.order_by("created_at", "pk")
        ],
    }


class PrivacyMeView(APIView):
    """What the platform holds about consent for the signed-in person, and which of their
    entries wait for a guardian's consent (with the reason)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PrivacyStatusSerializer})
    def get(self, request):
        return Response(PrivacyStatusSerializer(privacy_status(request.user)).data)


class PublishConsentView(APIView):
    """The person's own consent to their name being published (for a child: their guardian's)."""

    permission_classes = [IsAuthenticated]
    # JSON only: a form leaves out an unticked box, which DRF would read as "false".
    parser_classes = [JSONParser]

    @extend_schema(request=PublishConsentSerializer, responses={200: PrivacyStatusSerializer})
    def post(self, request):
        serializer = PublishConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = consent.publish_consent_set(actor=request.user, agree=serializer.validated_data["agree"])
        return Response(PrivacyStatusSerializer(privacy_status(person)).data)


class GuardianConsentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Guardians' consents: a child sees their own; library staff and organizers those of the
    people they look after. POST asks a guardian online; POST paper/ records a signed form."""

    permission_classes = [IsAuthenticated]
    serializer_class = GuardianConsentSerializer
    filter_backends = []

    def get_queryset(self):
        looked_after = people_looked_after_q(self.request.user, prefix="child__")
        return GuardianConsent.objects.filter(looked_after).order_by("-requested_at", "-id")

    @extend_schema(request=GuardianConsentRequestSerializer, responses={201: GuardianConsentSerializer})
    def create(self, request):
        serializer = GuardianConsentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        child = data.pop("child", request.user)
        given = consent.guardian_consent_request(actor=request.user, child=child, **data)
        return Response(GuardianConsentSerializer(given).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GuardianConsentPaperSerializer, responses={201: GuardianConsentSerializer})
    @action(detail=False, methods=["post"])
    def paper(self, request):
        serializer = GuardianConsentPaperSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = consent.guardian_consent_paper(actor=request.user, **serializer.validated_data)
        return Response(GuardianConsentSerializer(given).data, status=status.HTTP_201_CREATED)


class ContestPrivacyViewSet(viewsets.GenericViewSet):
    """A contest's children's data, for its organizers."""

    queryset = Contest.objects.none()
    serializer_class = ConsentWaitingSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return contests_visible_to(self.request.user, Contest.objects.all())

    def _managed(self) -> Contest:
        contest = self.get_object()
        if not can_manage_contest(self.request.user, contest):
            raise PermissionDenied()
        return contest

    @extend_schema(responses={200: ConsentWaitingSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="consent-waiting")
    def consent_waiting(self, request, pk=None):
        """Per library, how many entries wait for a guardian's consent before judging."""
        contest = self._managed()
        return Response(ConsentWaitingSerializer(selectors.consent_waiting_by_library(contest), many=True).data)

    @extend_schema(methods=["GET"], responses={200: RetentionSerializer})
    @extend_schema(methods=["PATCH"], request=RetentionInputSerializer, responses={200: RetentionSerializer})
    @action(detail=True, methods=["get", "patch"], parser_classes=[JSONParser])
    def retention(self, request, pk=None):
        """How long the entrants' personal data is kept after publication (winners, the others)."""
        contest = self._managed()
        if request.method == "PATCH":
            serializer = RetentionInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            kept = retention.retention_update(actor=request.user, contest=contest, **serializer.validated_data)
        else:
            kept = retention.retention_of(contest)
        return Response(RetentionSerializer(kept).data)


class ExportView(APIView):
    """Everything the platform holds about the signed-in person (a student, or their guardian
    signed in as them): data.json and their files, as one ZIP streamed as it is built."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request):
        response = StreamingHttpResponse(person_zip(request.user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="my-data-{request.user.pk}.zip"'
        return response


class ErasureAskView(APIView):
    """The signed-in person asks for their data to be deleted; their organizers carry it out."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ErasureAskSerializer, responses={201: ErasureRequestSerializer})
    def post(self, request):
        serializer = ErasureAskSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        asked = requests.erasure_request(person=request.user, **serializer.validated_data)
        return Response(ErasureRequestSerializer(asked).data, status=status.HTTP_201_CREATED)


class ErasureRequestViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Requests to delete a person's data, for the organizers of the person's library's network:
    each says what must be kept (published prizes) and until when; carry-out/ does the rest."""

    permission_classes = [IsAuthenticated]
    serializer_class = ErasureRequestSerializer
    filter_backends = []

    def get_queryset(self):
        found = ErasureRequest.objects.select_related("person", "library").order_by("-requested_at", "-id")
        return erasure_requests_visible_to(self.request.user, found)

    def list(self, request, *args, **kwargs):
        if not is_organizer(request.user):
            raise PermissionDenied()
        page = self.paginate_queryset(self.get_queryset())
        kept = requests.kept_prizes_of([r.person_id for r in page if r.person_id])
        return self.get_paginated_response(ErasureRequestSerializer(page, many=True, context={"kept": kept}).data)

    @extend_schema(request=None, responses={200: ErasureRequestSerializer})
    @action(detail=True, methods=["post"], url_path="carry-out")
    def carry_out(self, request, pk=None):
        done = requests.erasure_carry_out(actor=request.user, request=self.get_object())
        return Response(ErasureRequestSerializer(done).data)
