from django.contrib import admin

from submissions.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "contest", "category", "library", "status", "is_paper", "created_at"]
    list_filter = ["status", "is_paper", "contest", "category", "library__network"]
    search_fields = ["code", "title", "book_title", "entrant__full_name"]
    list_select_related = ["contest", "category", "library"]
    raw_id_fields = ["entrant", "submitted_by"]
    readonly_fields = ["code", "word_count", "attachment_type", "attachment_size", "created_at", "updated_at"]
