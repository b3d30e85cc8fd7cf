from django.contrib import admin

from core.admin import ReadOnlyAdmin
from screening.models import Pair, Policy, Run

# Read only: the policy's copy sources are checked against who sets them, and decisions go
# through the organizers' page (audited; a disqualification there tells the entrant).


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ["contest", "threshold", "hold_flagged"]


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["contest", "status", "threshold", "entries", "sources", "pairs", "created_at", "finished_at"]
    list_filter = ["status"]


@admin.register(Pair)
class PairAdmin(ReadOnlyAdmin):
    list_display = ["contest", "entry", "other", "similarity", "status", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["entry", "other", "run"]
