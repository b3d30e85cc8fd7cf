import pytest

from certificates import services
from certificates.models import Certificate
from tests.matrix import MatrixWorld, matrix_check, rows

ALL = ("anonymous", "student", "judge", "library_staff", "network_organizer", "platform_organizer")
# The certificate is the student's, from the north library, in a contest the north runs.
HOLDER = {
    "anonymous": 401,
    "student": 200,
    "judge": 404,
    "library_staff": 200,
    "network_organizer": 200,
    "platform_organizer": 200,
}
ORGANIZERS = {
    "anonymous": 401,
    "student": 403,
    "judge": 403,
    "library_staff": 403,
    "network_organizer": 200,
    "platform_organizer": 200,
}

MATRIX = [
    *rows("certificate-list", "GET", **dict.fromkeys(ALL, 200) | {"anonymous": 401}),
    *rows("certificate-detail", "GET", **HOLDER),
    *rows("certificate-pdf", "GET", **HOLDER),
    *rows("certificate-revoke", "POST", **HOLDER | {"student": 403, "library_staff": 403}),
    *rows("certificate-verify", "GET", **dict.fromkeys(ALL, 200)),
    *rows("contest-certificates", "POST", **ORGANIZERS | {"network_organizer": 202, "platform_organizer": 202}),
    *rows("contest-certificates-zip", "GET", **ORGANIZERS | {"library_staff": 200}),
    *rows("contest-certificate-design", "GET", **ORGANIZERS),
    *rows("contest-certificate-design", "PUT", **ORGANIZERS),
    *rows("job-detail", "GET", **HOLDER | {"student": 404, "library_staff": 404}),
]


@pytest.fixture
def world(role_users, published, django_capture_on_commit_callbacks) -> MatrixWorld:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.certificates_issue(actor=published.organizer, contest=published.contest)
    own = Certificate.objects.get(kind="prize", holder=role_users["student"])
    contest = {"pk": published.contest.pk}
    return MatrixWorld(
        users=role_users,
        urls={
            "certificate-list": lambda: ("certificate-list", {}),
            "certificate-detail": lambda: ("certificate-detail", {"pk": own.pk}),
            "certificate-pdf": lambda: ("certificate-pdf", {"pk": own.pk}),
            "certificate-revoke": lambda: ("certificate-revoke", {"pk": own.pk}),
            "certificate-verify": lambda: ("certificate-verify", {"code": own.code}),
            "contest-certificates": lambda: ("contest-certificates", contest),
            "contest-certificates-zip": lambda: ("contest-certificates-zip", contest),
            "contest-certificate-design": lambda: ("contest-certificate-design", contest),
            "job-detail": lambda: ("job-detail", {"pk": job.pk}),
        },
        payloads={
            ("certificate-revoke", "POST"): lambda: {"reason": "Cấp nhầm"},
            ("contest-certificate-design", "PUT"): lambda: {"signatory_name": "Nguyễn Văn Hùng"},
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_certificates_permission_matrix(world, row):
    matrix_check(world, row)
