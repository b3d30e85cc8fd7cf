from django.contrib import admin

from core.models import AuditEntry, OutboxTask


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


@admin.register(OutboxTask)
class OutboxTaskAdmin(ReadOnlyAdmin):
    """The work queued and not done yet; a row with many runs and an error needs a look."""

    list_display = ["task", "kwargs", "created_at", "next_attempt_at", "leased_until", "attempts", "sends"]
    list_filter = ["task"]
    search_fields = ["task", "error"]
    readonly_fields = [f.name for f in OutboxTask._meta.fields]
