from django.core.paginator import Paginator as DjangoPaginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from contests.models import Contest
from contests.permissions import can_manage_contest, contests_managed_by, contests_visible_to
from core.api import Pagination
from core.exports import csv_response
from core.figures import figure_text
from judging.models import RoundResult
from judging.permissions import can_view_round_results
from judging.selectors import rounds_visible_to
from results import caching, prizes, publication, selectors
from results.models import Award, CollectiveAward
from results.permissions import can_view_results
from results.serializers import (
    AwardOverrideSerializer,
    AwardReportSerializer,
    AwardSerializer,
    CollectiveAwardSerializer,
    ContestResultSerializer,
    LeaderboardQuerySerializer,
    LeaderboardRowSerializer,
    PublicationSerializer,
    PublishSerializer,
    RoundResultSerializer,
    SpecialPrizeSerializer,
    UnpublishSerializer,
)

# Lazy: translated when a request raises it, into that request's language.
NOT_YET = gettext_lazy("Results are for the organizers until the contest is published.")

LEADERBOARD_PARAMETERS = [
    OpenApiParameter("by", str, enum=["library", "network"], description="Libraries, or networks (rolled up)."),
    OpenApiParameter("category", int, description="One category; left out: all categories together."),
    OpenApiParameter(
        "order", str, enum=["rank", "entrants", "winners", "participation", "average_score"], description="Sort by."
    ),
]


class BoardPagination(Pagination):
    """Pages of a leaderboard whose size is known beforehand (leaderboard_size)."""

    size = 0

    def django_paginator_class(self, object_list, per_page):
        paginator = DjangoPaginator(object_list, per_page)
        paginator.count = self.size  # instead of counting every row on every read
        return paginator


class ContestResultsViewSet(viewsets.GenericViewSet):
    """A contest's result: publication, prizes, the final ranking and the leaderboards."""

    queryset = Contest.objects.none()  # for the schema; get_queryset filters by who asks
    serializer_class = ContestResultSerializer
    filter_backends = []  # each list takes its own parameters (category, by, order), nothing generic

    def get_permissions(self):
        # Every read is public once published (and checked by can_view_results); writes are not.
        if self.request.method == "GET" and self.action != "prizes":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self):
        # The rows alone (reads are hot), with the version the public reads answer from.
        return contests_visible_to(self.request.user, Contest.objects.select_related("results_version"))

    def _visible_result(self) -> Contest:
        contest = self.get_object()
        if not can_view_results(self.request.user, contest):
            raise PermissionDenied(NOT_YET)
        return contest

    # Publication ---------------------------------------------------------------------------

    @extend_schema(
        request=PublishSerializer,
        responses={200: PublicationSerializer, 202: OpenApiResponse(PublicationSerializer, "Scheduled")},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        contest = self.get_object()
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = publication.results_publish(
            actor=request.user, contest=contest, publish_at=serializer.validated_data.get("publish_at")
        )
        code = status.HTTP_202_ACCEPTED if result.publish_at else status.HTTP_200_OK
        return Response(PublicationSerializer(result).data, status=code)

    @extend_schema(request=UnpublishSerializer, responses={200: PublicationSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        contest = self.get_object()
        serializer = UnpublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = publication.results_unpublish(
            actor=request.user, contest=contest, reason=serializer.validated_data["reason"]
        )
        return Response(PublicationSerializer(result).data)

    # Prizes --------------------------------------------------------------------------------

    @extend_schema(request=None, responses={200: AwardReportSerializer})
    @action(detail=True, methods=["get", "post"], url_path="prizes")
    def prizes(self, request, pk=None):
        """GET: the tier prizes as they stand, with every quota overflow. POST: award them from
        the final round's ranking (again), keeping the organizer's overrides."""
        contest = self.get_object()
        if request.method == "POST":
            report = prizes.prizes_award(actor=request.user, contest=contest)
        else:
            if not can_manage_contest(request.user, contest):
                raise PermissionDenied()
            report = prizes.award_report(contest)
        return Response(AwardReportSerializer(report).data)

    @extend_schema(responses={200: AwardSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def awards(self, request, pk=None):
        """Every prize won. Organizers also see withheld prizes and every reason."""
        contest = self._visible_result()
        manager = can_manage_contest(request.user, contest)
        page = self.paginate_queryset(selectors.awards_of(contest, with_withheld=manager))
        data = AwardSerializer(page, many=True).data
        if not manager:
            for row in data:
                row["reason"] = ""  # an organizer's reasons are theirs
        return self.get_paginated_response(data)

    @extend_schema(request=AwardOverrideSerializer, responses={200: AwardSerializer})
    @action(detail=True, methods=["post"], url_path="awards/override")
    def award_override(self, request, pk=None):
        contest = self.get_object()
        serializer = AwardOverrideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        award = prizes.award_override(actor=request.user, contest=contest, **self._entry(serializer.validated_data))
        return Response(AwardSerializer(selectors.awards_of(contest, with_withheld=True).get(pk=award.pk)).data)

    @extend_schema(request=SpecialPrizeSerializer, responses={201: AwardSerializer})
    @action(detail=True, methods=["post"], url_path="awards/special")
    def special_prize(self, request, pk=None):
        contest = self.get_object()
        serializer = SpecialPrizeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        award = prizes.special_prize_give(actor=request.user, contest=contest, **self._entry(serializer.validated_data))
        data = AwardSerializer(selectors.awards_of(contest, with_withheld=True).get(pk=award.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _entry(data: dict) -> dict:
        return {("entry_id" if key == "entry" else key): value for key, value in data.items()}

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: CollectiveAwardSerializer(many=True)},
        operation_id="collective_awards_list",
    )
    @extend_schema(methods=["POST"], request=CollectiveAwardSerializer, responses={201: CollectiveAwardSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def collective_awards(self, request, pk=None):
        if request.method == "GET":
            contest = self._visible_result()
            return Response(CollectiveAwardSerializer(selectors.collective_awards_of(contest), many=True).data)
        contest = self.get_object()
        serializer = CollectiveAwardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        award = prizes.collective_award_give(actor=request.user, contest=contest, **serializer.validated_data)
        return Response(CollectiveAwardSerializer(award).data, status=status.HTTP_201_CREATED)

    # The result and the leaderboards -----------------------------------------------------------

    @extend_schema(
        responses={200: ContestResultSerializer(many=True)},
        parameters=[OpenApiParameter("category", int, description="One category only.")],
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """The final ranking with prizes, category by category."""
        contest = self._visible_result()

        def build():
            page = self.paginate_queryset(self._ranking(contest))
            return self.get_paginated_response(ContestResultSerializer(page, many=True).data)

        return caching.results_read(request, contest, build, store=True)

    def _ranking(self, contest):
        ranking = selectors.final_ranking(contest)
        category = LeaderboardQuerySerializer(data=self.request.query_params)
        category.is_valid(raise_exception=True)
        if "category" in category.validated_data:
            ranking = ranking.filter(category_id=category.validated_data["category"])
        return ranking

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        parameters=[OpenApiParameter("category", int, description="One category only.")],
    )
    @action(detail=True, methods=["get"], url_path="results/csv")
    def results_csv(self, request, pk=None):
        contest = self._visible_result()
        return caching.results_read(request, contest, lambda: self._results_csv(contest), store=False)

    def _results_csv(self, contest):
        header = [_("Category"), _("Rank"), _("Code"), _("Entrant"), _("Library"), _("Title"), _("Score"), _("Prizes")]
        rows = (
            [
                result.category.name,
                result.place,
                result.entry.code,
                result.entry.entrant.full_name,
                result.entry.library.name,
                result.entry.title,
                figure_text(result.score),
                "; ".join(award.tier.name if award.tier_id else award.name for award in result.entry.prizes_won),
            ]
            for result in self._ranking(contest).iterator(chunk_size=2000)
        )
        return csv_response(f"results-{contest.pk}.csv", header, rows)

    def _leaderboard(self, contest):
        query = LeaderboardQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        board = {"unit": query.validated_data["by"], "category_id": query.validated_data.get("category")}
        rows = selectors.leaderboard(contest, order=query.validated_data["order"], **board)
        return rows, board, {"tiers": list(contest.prize_tiers.all())}

    @extend_schema(responses={200: LeaderboardRowSerializer(many=True)}, parameters=LEADERBOARD_PARAMETERS)
    @action(detail=True, methods=["get"], pagination_class=BoardPagination)
    def leaderboard(self, request, pk=None):
        """Every library's (or network's) standing, from the precomputed summary."""
        contest = self._visible_result()

        def build():
            rows, board, context = self._leaderboard(contest)
            self.paginator.size = selectors.leaderboard_size(contest, **board)
            page = self.paginate_queryset(rows)
            return self.get_paginated_response(LeaderboardRowSerializer(page, many=True, context=context).data)

        return caching.results_read(request, contest, build, store=True)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR}, parameters=LEADERBOARD_PARAMETERS)
    @action(detail=True, methods=["get"], url_path="leaderboard/csv")
    def leaderboard_csv(self, request, pk=None):
        contest = self._visible_result()
        return caching.results_read(request, contest, lambda: self._leaderboard_csv(contest), store=False)

    def _leaderboard_csv(self, contest):
        rows, _board, context = self._leaderboard(contest)
        tiers = context["tiers"]
        header = [_("Rank"), _("Name"), _("Entries"), _("Entrants"), _("Students"), _("Participation")]
        header += [_("Average score"), *(tier.name for tier in tiers), _("Winners"), _("Points")]
        lines = (
            [
                row["rank"],
                row["unit_name"],
                row["entries"],
                row["entrants"],
                "" if row["student_count"] is None else row["student_count"],
                figure_text(row["participation"]) or "",
                figure_text(row["average_score"]) or "",
                *(row["prizes"].get(str(tier.pk), 0) for tier in tiers),
                row["winners"],
                row["points"],
            ]
            for row in rows.iterator(chunk_size=2000)
        )
        return csv_response(f"leaderboard-{contest.pk}.csv", header, lines)


class AwardViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """DELETE takes back a special prize or an override (organizers; audited)."""

    permission_classes = [IsAuthenticated]
    serializer_class = AwardSerializer
    filter_backends = []

    def get_queryset(self):
        return Award.objects.filter(contest__in=contests_managed_by(self.request.user, Contest.objects.all()))

    def perform_destroy(self, instance):
        prizes.award_remove(actor=self.request.user, award=instance)


class CollectiveAwardViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = CollectiveAwardSerializer
    filter_backends = []

    def get_queryset(self):
        return CollectiveAward.objects.filter(contest__in=contests_managed_by(self.request.user, Contest.objects.all()))

    def perform_destroy(self, instance):
        prizes.collective_award_remove(actor=self.request.user, award=instance)


class RoundResultsView(generics.ListAPIView):
    """A round's ranking: organizers always; anyone once the contest is published."""

    permission_classes = [AllowAny]
    serializer_class = RoundResultSerializer
    filter_backends = []  # ranked by category and rank, always

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RoundResult.objects.none()
        judging_round = get_object_or_404(rounds_visible_to(self.request.user), pk=self.kwargs["pk"])
        if not can_view_round_results(self.request.user, judging_round):
            raise PermissionDenied(NOT_YET)
        manager = can_manage_contest(self.request.user, judging_round.contest)
        return selectors.round_results_with_prizes(judging_round, with_left=manager)
