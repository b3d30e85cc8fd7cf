from django.contrib import admin

from core.admin import ReadOnlyAdmin
from results.models import Award, CollectiveAward


# Prizes change through the API's services (frozen once published, overrides audited with
# their reason); the admin shows them.
@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["entry", "kind", "tier", "name", "category", "rank", "overridden"]
    list_filter = ["contest", "kind", "tier", "overridden"]
    search_fields = ["entry__code", "entry__entrant__full_name", "name"]
    list_select_related = ["entry", "tier", "category"]


@admin.register(CollectiveAward)
class CollectiveAwardAdmin(ReadOnlyAdmin):
    list_display = ["name", "library", "network", "basis", "contest", "awarded_at"]
    list_filter = ["contest", "basis"]
    list_select_related = ["library", "network", "contest"]
