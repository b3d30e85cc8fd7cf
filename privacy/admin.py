from django.contrib import admin

from privacy.models import ErasureRequest, GuardianConsent, RetentionPolicy


@admin.register(GuardianConsent)
class GuardianConsentAdmin(admin.ModelAdmin):
    list_display = ["child", "guardian_name", "relation", "method", "confirmed_at", "publish", "withdrawn_at"]
    list_filter = ["method", "publish"]
    search_fields = ["child__username", "guardian_name"]
    raw_id_fields = ["child", "checked_by", "requested_by"]
    # Evidence of consent is not edited by hand: the services write it, with an audit row.
    readonly_fields = ["text", "publish_text", "requested_at", "mail_sent_at", "confirmed_at"]


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["contest", "winners_days", "others_days"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["person", "library", "status", "requested_at", "handled_at"]
    list_filter = ["status"]
    raw_id_fields = ["person", "handled_by"]
    readonly_fields = ["report"]
