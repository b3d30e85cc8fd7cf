"""The load bench's baseline (bench/load_bench.py): an authenticated DRF POST that inserts one
row with the body it is sent, through the same middleware, authentication and parser as an
entry. Routed only when BENCH_ENDPOINTS is on (config.urls), which config.production never is."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import AuditEntry


class BenchInsertView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=True)
    def post(self, request):
        row = AuditEntry.objects.create(
            actor=request.user, action="bench.insert", target_type="bench", target_id=0, after=request.data
        )
        return Response({"id": row.pk}, status=status.HTTP_201_CREATED)
