from django.contrib import admin

from certificates.models import Certificate, CertificateJob
from core.admin import ReadOnlyAdmin


# Issued, rendered and revoked through the API's services (audited); the admin shows them.
@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["holder_name", "award", "kind", "contest", "code", "rendered_at", "revoked_at"]
    list_filter = ["contest", "kind"]
    search_fields = ["holder_name", "code"]
    list_select_related = ["contest"]


@admin.register(CertificateJob)
class CertificateJobAdmin(ReadOnlyAdmin):
    list_display = ["contest", "started_by", "total", "created_at"]
    list_select_related = ["contest", "started_by"]
