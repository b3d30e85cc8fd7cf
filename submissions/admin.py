from django.contrib import admin

from submissions.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "contest", "category", "library", "status", "is_paper", "created_at"]
    list_filter = ["status", "is_paper", "contest", "category", "library__network"]
    search_fields = ["code", "title", "book_title", "entrant__full_name"]
    list_select_related = ["contest", "category", "library"]
    raw_id_fields = ["entrant", "submitted_by"]
    # Entries change through the API's services (rules, audit, e-mails); here they are read.
    readonly_fields = [field.name for field in Entry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
