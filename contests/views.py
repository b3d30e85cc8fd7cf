from datetime import timedelta

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from contests import selectors, services
from contests.enums import ContestStatus
from contests.models import Contest
from contests.permissions import ContestPermission
from contests.serializers import (
    CategorySerializer,
    ContestCopySerializer,
    ContestDetailSerializer,
    ContestReadSerializer,
    ContestReopenSerializer,
    ContestSerializer,
    ContestUpdateSerializer,
    PrizeTierSerializer,
    RoundSerializer,
)
from core.api import FilterSet, changes_required
from people.models import Network


class ContestFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=ContestStatus.choices)
    network = django_filters.ModelChoiceFilter(queryset=Network.objects.all())

    class Meta:
        model = Contest
        fields = ["status", "network"]


class ContestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Contests with their categories, rounds (with criteria) and prize tiers. Drafts are seen
    by their organizers only."""

    permission_classes = [ContestPermission]
    filterset_class = ContestFilter
    search_fields = ["title"]
    ordering_fields = ["submission_opens_at", "submission_closes_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.contests_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ContestUpdateSerializer
        if self.action == "retrieve":
            return ContestDetailSerializer
        return ContestSerializer if self.action == "create" else ContestReadSerializer

    def _read(self, contest, code=status.HTTP_200_OK):
        return Response(ContestReadSerializer(self.get_queryset().get(pk=contest.pk)).data, status=code)

    @extend_schema(request=ContestSerializer, responses={201: ContestReadSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ContestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contest = services.contest_create(actor=request.user, **serializer.validated_data)
        return self._read(contest, status.HTTP_201_CREATED)

    @extend_schema(request=ContestUpdateSerializer, responses={200: ContestReadSerializer})
    def partial_update(self, request, *args, **kwargs):
        contest = self.get_object()
        serializer = ContestUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.contest_update(actor=request.user, contest=contest, **changes_required(serializer.validated_data))
        return self._read(contest)

    def _structure_add(self, request, serializer_class, kind):
        contest = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.contest_structure_add(
            actor=request.user, contest=contest, kind=kind, data=serializer.validated_data
        )
        return Response(serializer_class(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CategorySerializer, responses={201: CategorySerializer})
    @action(detail=True, methods=["post"])
    def categories(self, request, pk=None):
        return self._structure_add(request, CategorySerializer, "category")

    @extend_schema(request=RoundSerializer, responses={201: RoundSerializer})
    @action(detail=True, methods=["post"])
    def rounds(self, request, pk=None):
        return self._structure_add(request, RoundSerializer, "round")

    @extend_schema(request=PrizeTierSerializer, responses={201: PrizeTierSerializer})
    @action(detail=True, methods=["post"])
    def prize_tiers(self, request, pk=None):
        return self._structure_add(request, PrizeTierSerializer, "prize_tier")

    @extend_schema(request=ContestReopenSerializer, responses={200: ContestReadSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        contest = self.get_object()
        serializer = ContestReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.contest_reopen(
            actor=request.user,
            contest=contest,
            reason=serializer.validated_data["reason"],
            submission_closes_at=serializer.validated_data.get("submission_closes_at"),
        )
        return self._read(contest)

    @extend_schema(request=ContestCopySerializer, responses={201: ContestReadSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        contest = self.get_object()
        serializer = ContestCopySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        copy = services.contest_copy(
            actor=request.user,
            contest=contest,
            title=serializer.validated_data.get("title", ""),
            shift=timedelta(days=serializer.validated_data["shift_days"]),
        )
        return self._read(copy, status.HTTP_201_CREATED)
