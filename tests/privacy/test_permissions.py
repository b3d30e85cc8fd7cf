import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests.enums import ContestStatus
from privacy.models import ErasureRequest
from tests.factories import ContestFactory, StudentFactory
from tests.matrix import MatrixWorld, matrix_check, rows
from tests.privacy.conftest import CHILD_BORN
from tests.privacy.helpers import PDF

SIGNED_IN = {
    "anonymous": 401,
    "student": 200,
    "judge": 200,
    "library_staff": 200,
    "network_organizer": 200,
    "platform_organizer": 200,
}
# The child's library and those above it; a student asks for their own guardian only.
LOOKING_AFTER = SIGNED_IN | {"student": 403, "judge": 403, "library_staff": 201}
LOOKING_AFTER |= {"network_organizer": 201, "platform_organizer": 201}
ORGANIZERS = SIGNED_IN | {"student": 403, "judge": 403, "library_staff": 403}

MATRIX = [
    *rows("privacy-me", "GET", **SIGNED_IN),
    *rows("privacy-publish-consent", "POST", **SIGNED_IN),
    *rows("guardian-consent-list", "GET", **SIGNED_IN),
    *rows("guardian-consent-list", "POST", **LOOKING_AFTER),
    *rows("guardian-consent-paper", "POST", **LOOKING_AFTER),
    *rows("contest-consent-waiting", "GET", **ORGANIZERS),
    *rows("contest-retention", "GET", **ORGANIZERS),
    *rows("contest-retention", "PATCH", **ORGANIZERS),
    *rows("privacy-export", "GET", **SIGNED_IN),
    *rows("privacy-erasure", "POST", **SIGNED_IN | dict.fromkeys(SIGNED_IN.keys() - {"anonymous"}, 201)),
    *rows("erasure-request-list", "GET", **ORGANIZERS),
    *rows("erasure-request-carry-out", "POST", **ORGANIZERS | {"student": 404, "judge": 404, "library_staff": 404}),
]


@pytest.fixture
def world(role_users, places) -> MatrixWorld:
    contest = ContestFactory(network=places.north, status=ContestStatus.OPEN)
    child = StudentFactory(birth_date=CHILD_BORN, library=places.north_library)

    def fresh_request():
        asker = StudentFactory(library=places.north_library)
        return ErasureRequest.objects.create(person=asker, library=asker.library, requested_at=timezone.now())

    guardian = {"child": child.pk, "guardian_name": "Phạm Văn Ba", "relation": "father"}
    return MatrixWorld(
        users=role_users,
        urls={
            "privacy-me": lambda: ("privacy-me", {}),
            "privacy-publish-consent": lambda: ("privacy-publish-consent", {}),
            "guardian-consent-list": lambda: ("guardian-consent-list", {}),
            "guardian-consent-paper": lambda: ("guardian-consent-paper", {}),
            "contest-consent-waiting": lambda: ("contest-consent-waiting", {"pk": contest.pk}),
            "contest-retention": lambda: ("contest-retention", {"pk": contest.pk}),
            "privacy-export": lambda: ("privacy-export", {}),
            "privacy-erasure": lambda: ("privacy-erasure", {}),
            "erasure-request-list": lambda: ("erasure-request-list", {}),
            "erasure-request-carry-out": lambda: ("erasure-request-carry-out", {"pk": fresh_request().pk}),
        },
        payloads={
            ("privacy-publish-consent", "POST"): lambda: {"agree": False},
            ("contest-retention", "PATCH"): lambda: {"winners_days": 365, "others_days": 30},
            ("guardian-consent-list", "POST"): lambda: guardian | {"guardian_email": "ba@example.com"},
            ("guardian-consent-paper", "POST"): lambda: (
                guardian | {"scan": SimpleUploadedFile("phieu.pdf", PDF, content_type="application/pdf")}
            ),
        },
    )


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(world, row):
    matrix_check(world, row)
