"""Thin views of the public vote: parse, ask a predicate, call a service or a selector."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from contests.models import Contest
from contests.permissions import can_view_contest
from core.api import changes_required
from core.errors import Conflict
from core.parsing import ascii_number
from voting import selectors, services
from voting.models import Ballot, PublicVote, VoteEntry
from voting.permissions import (
    can_manage_public_vote,
    can_see_counts,
    can_view_public_vote,
    public_votes_visible_to,
    voter_refusal,
)
from voting.serializers import (
    AddedSerializer,
    BallotInputSerializer,
    BallotSerializer,
    EntriesAddSerializer,
    EntryDetailSerializer,
    FraudSerializer,
    GalleryEntrySerializer,
    MeSerializer,
    MyBallotSerializer,
    OrganizerBallotSerializer,
    PublicVoteInputSerializer,
    PublicVoteSerializer,
    ResultsSerializer,
    VoidedSerializer,
    VoidSerializer,
)


class NotPublished(Conflict):
    code = "not_published"
    default_message = gettext_lazy("The list is not published yet.")


def _public_vote(request, pk: int) -> PublicVote:
    """The vote if this person may see it; 404 otherwise (a vote not yet open is not announced)."""
    public_vote = get_object_or_404(PublicVote.objects.select_related("contest"), pk=pk)
    if not can_view_public_vote(request.user, public_vote):
        raise Http404
    return public_vote


def _managed(request, pk: int) -> PublicVote:
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    public_vote = _public_vote(request, pk)
    if not can_manage_public_vote(request.user, public_vote):
        raise PermissionDenied()
    return public_vote


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value = ascii_number(raw)
    if value is None or value == 0:
        raise ValidationError({name: [_("Enter a whole number.")]})
    return value


def _me(request, public_vote: PublicVote) -> dict:
    user = request.user
    refusal = voter_refusal(user, public_vote)
    return {
        "signed_in": user.is_authenticated,
        "refusal": refusal.code if refusal else None,
        "refusal_message": str(refusal.message) if refusal else None,
        "ballots": MyBallotSerializer(selectors.ballots_of(user, public_vote), many=True).data,
    }


class ContestPublicVotesView(GenericAPIView):
    """A contest's public votes (read: anyone, once each opens; create: its organizers)."""

    permission_classes = [AllowAny]
    filter_backends = []
    serializer_class = PublicVoteSerializer
    pagination_class = None
    queryset = PublicVote.objects.none()  # for the schema: the views below ask the selectors

    def _contest(self, contest_id: int) -> Contest:
        contest = get_object_or_404(Contest, pk=contest_id)
        if not can_view_contest(self.request.user, contest):
            raise Http404
        return contest

    @extend_schema(responses={200: PublicVoteSerializer(many=True)})
    def get(self, request, contest_id: int):
        contest = self._contest(contest_id)
        votes = public_votes_visible_to(request.user, contest.public_votes.all())
        return Response(PublicVoteSerializer(votes, many=True, context={"request": request}).data)

    @extend_schema(request=PublicVoteInputSerializer, responses={201: PublicVoteSerializer})
    def post(self, request, contest_id: int):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        contest = self._contest(contest_id)
        serializer = PublicVoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        public_vote = services.public_vote_create(actor=request.user, contest=contest, **serializer.validated_data)
        data = PublicVoteSerializer(public_vote, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class PublicVoteView(GenericAPIView):
    """One public vote: its settings and state, and for the reader (`me`) whether they may vote
    and their ballots. Organizers change the settings until the list is published."""

    permission_classes = [AllowAny]
    filter_backends = []
    queryset = PublicVote.objects.none()  # for DRF's OPTIONS and the schema
    serializer_class = PublicVoteSerializer

    @extend_schema(responses={200: PublicVoteSerializer})
    def get(self, request, pk: int):
        public_vote = _public_vote(request, pk)
        data = PublicVoteSerializer(public_vote, context={"request": request}).data
        return Response({**data, "me": MeSerializer(_me(request, public_vote)).data})

    @extend_schema(request=PublicVoteInputSerializer, responses={200: PublicVoteSerializer})
    def patch(self, request, pk: int):
        public_vote = _managed(request, pk)
        serializer = PublicVoteInputSerializer(public_vote, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        public_vote = services.public_vote_update(
            actor=request.user, public_vote=public_vote, **changes_required(serializer.validated_data)
        )
        return Response(PublicVoteSerializer(public_vote, context={"request": request}).data)


class GalleryView(GenericAPIView):
    """The entries in the vote (`?category=`); the organizers add entries by category, round
    (assigned or ranked in it), a list of ids, video ones only."""

    permission_classes = [AllowAny]
    filter_backends = []
    serializer_class = GalleryEntrySerializer
    queryset = VoteEntry.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("category", int)],
        responses={200: GalleryEntrySerializer(many=True)},
    )
    def get(self, request, pk: int):
        public_vote = _public_vote(request, pk)
        found = selectors.gallery(public_vote, request.user, category_id=_int_param(request, "category"))
        page = self.paginate_queryset(found)
        context = {"counts": can_see_counts(request.user, public_vote)}
        return self.get_paginated_response(GalleryEntrySerializer(page, many=True, context=context).data)

    @extend_schema(request=EntriesAddSerializer, responses={201: AddedSerializer})
    def post(self, request, pk: int):
        public_vote = _managed(request, pk)
        serializer = EntriesAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data
        added = services.vote_entries_add(
            actor=request.user,
            public_vote=public_vote,
            category=given.get("category"),
            judging_round=given.get("round"),
            entries=given.get("entries"),
            video_only=given["video_only"],
        )
        return Response({"added": added}, status=status.HTTP_201_CREATED)


class GalleryEntryView(GenericAPIView):
    """One entry of the vote, whole. Opening it while signed in is what lets the reader vote for it."""

    permission_classes = [AllowAny]
    filter_backends = []
    queryset = PublicVote.objects.none()  # for DRF's OPTIONS and the schema
    serializer_class = EntryDetailSerializer

    def _vote_entry(self, public_vote: PublicVote, entry_id: int) -> VoteEntry:
        return get_object_or_404(selectors.gallery(public_vote, self.request.user), entry_id=entry_id)

    @extend_schema(responses={200: EntryDetailSerializer})
    def get(self, request, pk: int, entry_id: int):
        public_vote = _public_vote(request, pk)
        vote_entry = self._vote_entry(public_vote, entry_id)
        if request.user.is_authenticated and not vote_entry.viewed:
            services.entry_view_record(viewer=request.user, vote_entry=vote_entry)
            vote_entry.viewed = True
        context = {"counts": can_see_counts(request.user, public_vote)}
        return Response(EntryDetailSerializer(vote_entry, context=context).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, entry_id: int):
        public_vote = _managed(request, pk)
        services.vote_entry_remove(actor=request.user, vote_entry=self._vote_entry(public_vote, entry_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class BallotView(GenericAPIView):
    """The reader's vote in the entry's category: cast, or moved to this entry (until voting
    closes). 201 when cast, 200 when changed or unchanged."""

    permission_classes = [IsAuthenticated]
    filter_backends = []
    queryset = PublicVote.objects.none()  # for DRF's OPTIONS and the schema
    serializer_class = BallotSerializer

    @extend_schema(request=BallotInputSerializer, responses={200: BallotSerializer, 201: BallotSerializer})
    def put(self, request, pk: int):
        public_vote = _public_vote(request, pk)
        serializer = BallotInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ballot, outcome = services.ballot_cast(
            voter=request.user,
            public_vote=public_vote,
            entry_id=serializer.validated_data["entry"],
            address=BaseThrottle().get_ident(request) or "",
        )
        ballot.outcome = outcome
        code = status.HTTP_201_CREATED if outcome == "cast" else status.HTTP_200_OK
        return Response(BallotSerializer(ballot).data, status=code)


class FraudView(GenericAPIView):
    """The organizers' fraud view: timelines, bursts, new accounts, libraries, addresses, flags."""

    permission_classes = [IsAuthenticated]
    filter_backends = []
    queryset = PublicVote.objects.none()  # for DRF's OPTIONS and the schema
    serializer_class = FraudSerializer

    @extend_schema(responses={200: FraudSerializer})
    def get(self, request, pk: int):
        public_vote = _managed(request, pk)
        return Response(FraudSerializer(selectors.fraud_report(public_vote)).data)


class OrganizerBallotsView(GenericAPIView):
    """The ballots, for the organizers to look into and void (`?entry=`, `?address=`,
    `?library=`, `?voided=true|false`)."""

    permission_classes = [IsAuthenticated]
    filter_backends = []
    serializer_class = OrganizerBallotSerializer
    queryset = Ballot.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("entry", int),
            OpenApiParameter("address", str),
            OpenApiParameter("library", int),
            OpenApiParameter("voided", bool),
        ],
        responses={200: OrganizerBallotSerializer(many=True)},
    )
    def get(self, request, pk: int):
        public_vote = _managed(request, pk)
        voided = request.query_params.get("voided")
        if voided not in (None, "true", "false"):
            raise ValidationError({"voided": [_("Give true or false.")]})
        entry_id = _int_param(request, "entry")
        vote_entry_id = None
        if entry_id is not None:
            vote_entry_id = (
                VoteEntry.objects.filter(public_vote=public_vote, entry_id=entry_id)
                .values_list("pk", flat=True)
                .first()
                or 0
            )
        found = selectors.ballots_for_organizers(
            public_vote,
            vote_entry_id=vote_entry_id,
            address=request.query_params.get("address", "")[:16],
            library_id=_int_param(request, "library"),
            voided=None if voided is None else voided == "true",
        )
        page = self.paginate_queryset(found)
        return self.get_paginated_response(OrganizerBallotSerializer(page, many=True).data)


class VoidView(GenericAPIView):
    """Voids ballots with a reason (audited): they stop counting at once."""

    permission_classes = [IsAuthenticated]
    filter_backends = []
    queryset = PublicVote.objects.none()  # for DRF's OPTIONS and the schema
    serializer_class = VoidSerializer

    @extend_schema(request=VoidSerializer, responses={200: VoidedSerializer})
    def post(self, request, pk: int):
        public_vote = _managed(request, pk)
        serializer = VoidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        voided = services.ballots_void(
            actor=request.user,
            public_vote=public_vote,
            ballot_ids=serializer.validated_data["ballots"],
            reason=serializer.validated_data["reason"],
        )
        return Response({"voided": voided})


class PublishView(GenericAPIView):
    """Publishes the list once voting has closed: ranks per category, the prize, how many votes
    counted and how many were voided."""

    permission_classes = [IsAuthenticated]
    filter_backends = []
    queryset = PublicVote.objects.none()  # for DRF's OPTIONS and the schema
    serializer_class = PublicVoteSerializer

    @extend_schema(request=None, responses={200: PublicVoteSerializer})
    def post(self, request, pk: int):
        public_vote = services.public_vote_publish(actor=request.user, public_vote=_managed(request, pk))
        return Response(PublicVoteSerializer(public_vote, context={"request": request}).data)


class ResultsView(GenericAPIView):
    """The published list: anyone, once published."""

    permission_classes = [AllowAny]
    filter_backends = []
    queryset = PublicVote.objects.none()  # for DRF's OPTIONS and the schema
    serializer_class = ResultsSerializer
    pagination_class = None

    @extend_schema(responses={200: ResultsSerializer})
    def get(self, request, pk: int):
        public_vote = _public_vote(request, pk)
        if public_vote.published_at is None:
            raise NotPublished()
        data = {
            "prize_name": public_vote.prize_name,
            "published_at": public_vote.published_at,
            "counted": public_vote.counted,
            "voided": public_vote.voided,
            "results": selectors.results(public_vote),
        }
        return Response(ResultsSerializer(data, context={"counts": True}).data)
