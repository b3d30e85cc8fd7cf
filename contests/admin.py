from django.contrib import admin

from contests import services
from contests.models import Category, Contest, Criterion, PrizeTier, Round


class CategoryInline(admin.StackedInline):
    model = Category
    extra = 0


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    show_change_link = True


class PrizeTierInline(admin.TabularInline):
    model = PrizeTier
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "status", "submission_opens_at", "submission_closes_at"]
    list_filter = ["status", "network"]
    search_fields = ["title"]
    autocomplete_fields = ["network"]
    readonly_fields = ["copied_from", "created_at"]
    inlines = [CategoryInline, RoundInline, PrizeTierInline]
    actions = ["copy_as_draft"]

    @admin.action(description="Copy as a new draft, one year later")
    def copy_as_draft(self, request, queryset):
        for contest in queryset:
            services.contest_copy(actor=request.user, contest=contest)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "contest", "order", "judges_per_entry", "aggregation", "advance"]
    list_filter = ["contest"]
    inlines = [CriterionInline]
