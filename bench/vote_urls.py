"""The platform's URLs plus the baseline of bench/vote_bench.py: a bare authenticated POST that
goes through the same middleware, token authentication, DRF parsing and JSON response as a vote,
and writes nothing."""

from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as platform


class BarePost(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        return Response({"entry": request.data.get("entry")})


urlpatterns = [path("api/bench/bare/", BarePost.as_view()), *platform]
