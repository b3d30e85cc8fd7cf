from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from contests import services
from contests.enums import STATUS_ORDER, ContestStatus
from contests.models import Category, Contest, Criterion, PrizeTier, Round
from contests.permissions import results_frozen
from core.forms import JSONField


class ContestAdminForm(forms.ModelForm):
    class Meta:
        model = Contest
        fields = [
            "title",
            "description",
            "network",
            "code_prefix",
            "language",
            "submission_opens_at",
            "submission_closes_at",
            "status",
        ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.instance.pk and STATUS_ORDER.index(status) < STATUS_ORDER.index(self.instance.status):
            raise forms.ValidationError(
                _("A contest only moves forward; an organizer may reopen it explicitly."), code="backwards"
            )
        if self.instance.pk and STATUS_ORDER.index(status) > STATUS_ORDER.index(self.instance.status) + 1:
            raise forms.ValidationError(_("One stage at a time."), code="skips")
        return status

    def clean(self):
        cleaned = super().clean()
        # contest_update refuses it too; here the form says so instead of the page failing.
        changed = set(self.changed_data)
        moved_on = changed == {"status"} and cleaned.get("status") == ContestStatus.ARCHIVED
        if self.instance.pk and results_frozen(self.instance) and changed and not moved_on:
            raise forms.ValidationError(services.ResultsPublished.default_message, code="results_published")
        return cleaned


class FrozenWithResults:
    """Inlines of a contest (or of a round) whose results are out are shown, not changed: the
    structure is part of the published result (contests.permissions.results_frozen)."""

    @staticmethod
    def _frozen(obj) -> bool:
        contest = obj.contest if isinstance(obj, Round) else obj
        return contest is not None and results_frozen(contest)

    def has_add_permission(self, request, *obj):  # (a model admin's takes no obj, an inline's does)
        return not self._frozen(obj[0] if obj else None) and super().has_add_permission(request, *obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class CategoryInline(FrozenWithResults, admin.StackedInline):
    model = Category
    extra = 0
    formfield_overrides = {models.JSONField: {"form_class": JSONField}}


class RoundInline(FrozenWithResults, admin.TabularInline):
    model = Round
    extra = 0
    show_change_link = True
    readonly_fields = ["status", "closed_at"]  # changed only by assigning and closing, in judging


class PrizeTierInline(FrozenWithResults, admin.TabularInline):
    model = PrizeTier
    extra = 0


class CriterionInline(FrozenWithResults, admin.TabularInline):
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
    form = ContestAdminForm

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and results_frozen(obj)) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Changes go through the service, which checks the window and writes the audit row.
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        services.contest_update(actor=request.user, contest=obj, **changes)
        obj.refresh_from_db()

    @admin.action(description=_("Copy as a new draft, one year later"))
    def copy_as_draft(self, request, queryset):
        for contest in queryset:
            services.contest_copy(actor=request.user, contest=contest)


@admin.register(Round)
class RoundAdmin(FrozenWithResults, admin.ModelAdmin):
    list_display = ["name", "contest", "order", "judges_per_entry", "aggregation", "advance"]
    list_filter = ["contest"]
    readonly_fields = ["status", "closed_at"]
    inlines = [CriterionInline]
