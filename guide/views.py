from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from guide import selectors
from guide.serializers import HomeSerializer


class HomeView(APIView):
    """What is waiting for the signed-in person, per role, and where their own area is."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: HomeSerializer})
    def get(self, request):
        return Response(HomeSerializer(selectors.home_for(request.user)).data)
