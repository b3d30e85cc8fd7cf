import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from contests.models import Contest
from contests.permissions import contests_managed_by, contests_visible_to
from core.api import FilterSet, changes_required
from screening import selectors, services, sketch
from screening.enums import PairStatus
from screening.models import Pair, Run
from screening.permissions import can_screen_contest, pairs_visible_to, runs_visible_to
from screening.serializers import (
    DecisionSerializer,
    ForwardSerializer,
    PairDetailSerializer,
    PairSerializer,
    PolicyInputSerializer,
    RunSerializer,
    ScreeningSerializer,
)


def _screening_data(contest: Contest) -> dict:
    policy = selectors.policy_for(contest)
    last_run = selectors.run_latest(contest)
    return ScreeningSerializer(
        {
            "policy": {
                "threshold": policy.threshold,
                "hold_flagged": policy.hold_flagged,
                "copy_sources": [{"id": c.pk, "title": c.title} for c in policy.copy_sources],
            },
            "last_run": last_run,
            "pairs": selectors.pair_counts(contest),
        }
    ).data


class ContestScreeningViewSet(viewsets.GenericViewSet):
    """A contest's screening for copies: its settings, its last run, how many pairs await a
    decision (its organizers only)."""

    queryset = Contest.objects.none()
    serializer_class = ScreeningSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        return contests_visible_to(self.request.user, Contest.objects.all())

    def _managed(self) -> Contest:
        contest = self.get_object()
        if not can_screen_contest(self.request.user, contest):
            raise PermissionDenied()
        return contest

    @extend_schema(methods=["GET"], responses={200: ScreeningSerializer})
    @extend_schema(methods=["PATCH"], request=PolicyInputSerializer, responses={200: ScreeningSerializer})
    @action(detail=True, methods=["get", "patch"])
    def screening(self, request, pk=None):
        contest = self._managed()
        if request.method == "PATCH":
            serializer = PolicyInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.policy_update(actor=request.user, contest=contest, **changes_required(serializer.validated_data))
        return Response(_screening_data(contest))

    @extend_schema(request=None, responses={202: RunSerializer})
    @action(detail=True, methods=["post"], url_path="screening/runs")
    def screening_runs(self, request, pk=None):
        """Screens the contest's entries (and its copy sources') in the background; asked again
        while a run is on, answers with that run."""
        run = services.run_start(actor=request.user, contest=self._managed())
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class RunViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A screening run's progress and figures."""

    serializer_class = RunSerializer
    permission_classes = [IsAuthenticated]
    queryset = Run.objects.none()
    filter_backends = []

    def get_queryset(self):
        return runs_visible_to(self.request.user, Run.objects.all())


class PairFilter(FilterSet):
    contest = django_filters.ModelChoiceFilter(queryset=Contest.objects.all())
    status = django_filters.ChoiceFilter(choices=PairStatus.choices)

    class Meta:
        model = Pair
        fields = ["contest", "status"]


class PairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pairs of entries found alike, the most alike first: for the contest's organizers to
    decide on. The detail shows both texts with the passages they share marked."""

    permission_classes = [IsAuthenticated]
    filterset_class = PairFilter
    ordering_fields = ["similarity", "id"]

    def get_queryset(self):
        pairs = pairs_visible_to(self.request.user, Pair.objects.all())
        return selectors.pairs_with_entries(pairs).select_related("decided_by")

    def get_serializer_class(self):
        return PairDetailSerializer if self.action == "retrieve" else PairSerializer

    def get_serializer_context(self):
        managed = contests_managed_by(self.request.user, Contest.objects.all()).values_list("pk", flat=True)
        return {**super().get_serializer_context(), "managed_contests": set(managed)}

    def retrieve(self, request, *args, **kwargs):
        pair = self.get_object()
        texts = selectors.screened_texts([pair.entry_id, pair.other_id])
        segments = {
            pair.entry_id: sketch.shared_segments(texts[pair.entry_id], texts[pair.other_id]),
            pair.other_id: sketch.shared_segments(texts[pair.other_id], texts[pair.entry_id]),
        }
        context = {**self.get_serializer_context(), "segments": segments}
        return Response(PairDetailSerializer(pair, context=context).data)

    @extend_schema(request=DecisionSerializer, responses={200: PairSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        pair = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.pair_decide(actor=request.user, pair=pair, **serializer.validated_data)
        return Response(PairSerializer(self.get_queryset().get(pk=pair.pk), context=self.get_serializer_context()).data)

    @extend_schema(request=ForwardSerializer, responses={200: PairSerializer})
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """Sends the flag on to the judges of the pair's entries, with a note."""
        pair = self.get_object()
        serializer = ForwardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.pair_forward(actor=request.user, pair=pair, note=serializer.validated_data["note"])
        return Response(PairSerializer(self.get_queryset().get(pk=pair.pk), context=self.get_serializer_context()).data)
