from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from contests import services
from contests.enums import STATUS_ORDER
from contests.models import Category, Contest, Criterion, PrizeTier, Round
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


class CategoryInline(admin.StackedInline):
    model = Category
    extra = 0
    formfield_overrides = {models.JSONField: {"form_class": JSONField}}


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    show_change_link = True
    readonly_fields = ["status", "closed_at"]  # changed only by assigning and closing, in judging


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
    form = ContestAdminForm

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
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "contest", "order", "judges_per_entry", "aggregation", "advance"]
    list_filter = ["contest"]
    readonly_fields = ["status", "closed_at"]
    inlines = [CriterionInline]
