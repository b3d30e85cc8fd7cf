"""Who gets which certificate: holders their own, library staff their libraries', organizers
their contests'; anyone may verify one by its code."""

from django.db.models import Q, QuerySet

from certificates.models import Certificate, CertificateJob
from contests.models import Contest
from contests.permissions import can_manage_contest, contests_managed_by
from people.permissions import staffed_library_ids


def certificates_visible_to(user, certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    if not user.is_authenticated:
        return certificates.none()
    visible = Q(holder=user) | Q(library_id__in=staffed_library_ids(user))
    visible |= Q(contest__in=contests_managed_by(user, Contest.objects.all()))
    return certificates.filter(visible)


def can_download(user, certificate: Certificate) -> bool:
    return user.is_authenticated and (
        certificate.holder_id == user.pk
        or certificate.library_id in staffed_library_ids(user)
        or can_manage_contest(user, certificate.contest)
    )


def can_view_job(user, job: CertificateJob) -> bool:
    return user.is_authenticated and (job.started_by_id == user.pk or can_manage_contest(user, job.contest))
