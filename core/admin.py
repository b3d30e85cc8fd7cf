from django.contrib import admin

from core.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the services write (with their checks and audit); the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "reason", "actor__username"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
