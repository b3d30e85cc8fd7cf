import zipfile

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from certificates import services
from certificates.enums import CertificateKind, JobStatus
from certificates.models import Certificate, CertificateJob
from certificates.permissions import can_download, can_view_job, certificates_visible_to
from certificates.serializers import (
    CertificateSerializer,
    DesignSerializer,
    JobSerializer,
    RevokeSerializer,
    VerificationSerializer,
)
from contests.models import Contest
from contests.permissions import can_manage_contest, contests_visible_to
from core.errors import Conflict
from core.pages import content_security_policy, throttle_wait
from people.permissions import staffed_library_ids


def _job_data(job: CertificateJob) -> dict:
    done = services.job_done(job)
    job.done, job.status = done, JobStatus.DONE if done >= job.total else JobStatus.RUNNING
    return JobSerializer(job).data


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("contest", int, description="One contest's."),
            OpenApiParameter("kind", str, enum=CertificateKind.values),
        ]
    )
)
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Certificates: holders see their own, library staff their libraries', organizers their
    contests'. `?contest=` and `?kind=` filter."""

    serializer_class = CertificateSerializer
    permission_classes = [IsAuthenticated]
    queryset = Certificate.objects.none()
    filter_backends = []
    filterset_fields = []

    def get_queryset(self):
        certificates = certificates_visible_to(self.request.user, Certificate.objects.all()).select_related("contest")
        # An empty parameter is a client's mistake (the schema says integer / one of the kinds), not "no filter".
        if (contest := self.request.query_params.get("contest")) is not None:
            certificates = certificates.filter(contest=_whole(contest, "contest"))
        if (kind := self.request.query_params.get("kind")) is not None:
            certificates = certificates.filter(kind=_kind(kind))
        return certificates.order_by("contest_id", "kind", "holder_name", "id")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        certificate = self.get_object()
        if not can_download(request.user, certificate):
            raise PermissionDenied()
        if certificate.rendered_at is None:
            raise Conflict(_("This certificate is still being prepared; try again in a minute."))
        return FileResponse(
            certificate.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{services.code_display(certificate.code)}.pdf",
        )

    @extend_schema(request=RevokeSerializer, responses={200: CertificateSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        certificate = self.get_object()
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=serializer.validated_data["reason"]
        )
        return Response(CertificateSerializer(certificate).data)


def _kind(value: str) -> str:
    # An unknown kind is a mistake to report, not a filter that quietly matches nothing.
    try:
        return serializers.ChoiceField(choices=CertificateKind.choices).run_validation(value)
    except ValidationError as error:
        raise ValidationError({"kind": error.detail}) from None


def _whole(value: str, name: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        from rest_framework.exceptions import ValidationError

        raise ValidationError({name: [_("Enter a whole number.")]})
    return int(value)


def verification(code: str) -> dict | None:
    certificate = Certificate.objects.filter(code=services.code_clean(code)[:16]).select_related("contest").first()
    if certificate is None:
        return None
    return {
        "valid": certificate.revoked_at is None,
        "code": services.code_display(certificate.code),
        "holder": certificate.holder_name,
        "contest": certificate.contest.title,
        "award": certificate.award,
        "library": certificate.library_name,
        "issued_at": certificate.issued_at,
        "revoked_at": certificate.revoked_at,
    }


class VerifyView(APIView):
    """Anyone checks a certificate by its code (dashes and case do not matter). Throttled."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verify"

    @extend_schema(responses={200: VerificationSerializer, 404: OpenApiResponse(description="No such certificate")})
    def get(self, request, code):
        found = verification(code)
        if found is None:
            raise NotFound(_("No certificate has this code."))
        return Response(VerificationSerializer(found).data)


@require_safe
@content_security_policy
def verify_page(request, code: str = ""):
    """The page the QR code opens (and a box to type a code in): plain HTML, no script. It
    counts against the API's verification budget, so that codes cannot be guessed through it."""
    code = code or request.GET.get("code", "")
    if code:
        wait = throttle_wait(request, throttle_classes=VerifyView.throttle_classes, scope=VerifyView.throttle_scope)
        if wait is not None:
            response = render(request, "certificates/verify.html", {"code": code, "wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
    found = verification(code) if code else None
    status_code = 404 if code and found is None else 200
    return render(request, "certificates/verify.html", {"code": code, "found": found}, status=status_code)


class _Pipe:
    """zipfile writes into this; the response sends what it holds after each certificate."""

    def __init__(self):
        self.chunks = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def _zip_name(certificate: Certificate) -> str:
    """A folder per library, a file per certificate named by its holder and code."""
    folder = (certificate.library_name or certificate.holder_name).replace("/", "-")
    return f"{folder}/{certificate.holder_name.replace('/', '-')} — {services.code_display(certificate.code)}.pdf"


def _zip_stream(certificates):
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates.iterator(chunk_size=500):
            with certificate.file.open("rb") as source, archive.open(_zip_name(certificate), "w") as target:
                while block := source.read(1 << 16):
                    target.write(block)
                    yield pipe.take()
    yield pipe.take()


class ContestCertificatesViewSet(viewsets.GenericViewSet):
    queryset = Contest.objects.none()
    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        return contests_visible_to(self.request.user, Contest.objects.all())

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=True, methods=["post"])
    def certificates(self, request, pk=None):
        """Issues the contest's certificates and renders them in the background."""
        job = services.certificates_issue(actor=request.user, contest=self.get_object())
        return Response(_job_data(job), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
        parameters=[OpenApiParameter("library", int, description="One library's (staff: theirs).")],
    )
    @action(detail=True, methods=["get"], url_path="certificates/zip")
    def certificates_zip(self, request, pk=None):
        """Every rendered certificate, as one ZIP streamed as it is built: organizers all of the
        contest's (or one library's), library staff their library's."""
        contest = self.get_object()
        library = request.query_params.get("library")
        certificates = Certificate.objects.filter(contest=contest, rendered_at__isnull=False)
        if library:
            certificates = certificates.filter(library_id=_whole(library, "library"))
        if not can_manage_contest(request.user, contest):
            staffed = staffed_library_ids(request.user)
            if not staffed or (library and int(library) not in staffed):
                raise PermissionDenied()
            certificates = certificates.filter(library_id__in=staffed)
        response = StreamingHttpResponse(
            _zip_stream(certificates.order_by("library_name", "holder_name", "id")), content_type="application/zip"
        )
        response["Content-Disposition"] = f'attachment; filename="certificates-{contest.pk}.zip"'
        return response

    @extend_schema(methods=["GET"], responses={200: DesignSerializer})
    @extend_schema(methods=["PUT"], request=DesignSerializer, responses={200: DesignSerializer})
    @action(detail=True, methods=["get", "put"], url_path="certificate_design")
    def certificate_design(self, request, pk=None):
        contest = self.get_object()
        if request.method == "GET":
            if not can_manage_contest(request.user, contest):
                raise PermissionDenied()
            return Response(DesignSerializer(services.design_of(contest)).data)
        serializer = DesignSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        design = services.design_update(actor=request.user, contest=contest, **serializer.validated_data)
        return Response(DesignSerializer(design).data)


class JobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A certificate job's progress, for whoever started it (and the contest's organizers)."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    queryset = CertificateJob.objects.none()
    filter_backends = []

    def get_queryset(self):
        return CertificateJob.objects.select_related("contest")

    def retrieve(self, request, *args, **kwargs):
        job = self.get_object()  # (DRF's lookup: an id that is not a number is a 404, not a 500)
        if not can_view_job(request.user, job):
            raise NotFound()
        return Response(_job_data(job))
