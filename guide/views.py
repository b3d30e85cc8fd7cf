from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Contest
from contests.permissions import contests_visible_to
from guide import selectors
from guide.serializers import EligibilityQuerySerializer, EligibilitySerializer, HomeSerializer, OutcomeSerializer


class HomeView(APIView):
    """What is waiting for the signed-in person, per role, and where their own area is."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: HomeSerializer})
    def get(self, request):
        return Response(HomeSerializer(selectors.home_for(request.user)).data)


class EligibilityView(APIView):
    """Whether the signed-in person may send an entry to a contest, per category, and the codes
    of the entries they already sent: shown as soon as a category is chosen."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("contest", int, required=True)], responses={200: EligibilitySerializer})
    def get(self, request):
        query = EligibilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        contest = get_object_or_404(contests_visible_to(request.user, Contest.objects.all()), pk=query.data["contest"])
        return Response(EligibilitySerializer(selectors.eligibility_for(request.user, contest)).data)


class OutcomesView(APIView):
    """How the signed-in person's entries fared, in the contests whose results are out."""

    permission_classes = [IsAuthenticated]
    pagination_class = None

    @extend_schema(responses={200: OutcomeSerializer(many=True)})
    def get(self, request):
        return Response(OutcomeSerializer(selectors.outcomes_for(request.user), many=True).data)
