"""Panels are managed here too; assignments and scores are read-only, written only by services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from contests.models import Contest
from contests.permissions import contests_managed_by
from core.admin import ReadOnlyAdmin
from core.errors import DomainError
from judging import services
from judging.models import Assignment, Judge, RoundResult, Score
from judging.permissions import can_manage_round


class JudgeAddForm(forms.ModelForm):
    class Meta:
        model = Judge
        fields = ["round", "user", "weight"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("round") and cleaned.get("user"):
            try:
                services.judge_add_check(cleaned["round"], cleaned["user"])
            except DomainError as error:
                raise forms.ValidationError(str(error.message)) from None
        return cleaned


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    form = JudgeAddForm
    list_display = ["user", "round", "weight", "added_at"]
    list_filter = ["round__contest"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user"]
    fields = ["round", "user", "weight"]

    def get_readonly_fields(self, request, obj=None):
        return ["round", "user", "weight"] if obj else []

    def has_change_permission(self, request, obj=None):
        return False if obj else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not can_manage_round(request.user, obj.round):
            raise PermissionDenied
        # The form asked judge_add_check already; the service asks again, under the round's lock.
        saved = services.judge_add(actor=request.user, judging_round=obj.round, user=obj.user, weight=obj.weight)
        obj.pk = saved.pk

    def get_queryset(self, request):
        managed = contests_managed_by(request.user, Contest.objects.all())
        return super().get_queryset(request).filter(round__contest__in=managed)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_manage_round(request.user, obj.round))

    def delete_model(self, request, obj):
        try:
            services.judge_remove(actor=request.user, judging_round=obj.round, user=obj.user)
        except DomainError as error:
            self.message_user(request, f"{obj}: {error.message}", messages.ERROR)

    def delete_queryset(self, request, queryset):
        for judge in queryset.select_related("round__contest", "user"):
            self.delete_model(request, judge)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["entry", "judge", "round", "is_extra", "created_at"]
    list_filter = ["round__contest", "is_extra"]
    search_fields = ["entry__code", "judge__username"]
    list_select_related = ["entry", "judge", "round__contest"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "total", "submitted", "updated_at"]
    list_filter = ["submitted"]
    list_select_related = ["assignment__entry", "assignment__judge", "assignment__round__contest"]


@admin.register(RoundResult)
class RoundResultAdmin(ReadOnlyAdmin):
    list_display = ["entry", "round", "category", "score", "rank", "advanced", "flagged"]
    list_filter = ["round__contest", "advanced", "flagged"]
    list_select_related = ["entry", "round__contest", "category"]
