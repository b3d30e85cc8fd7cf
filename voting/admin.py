from django.contrib import admin

from voting.models import Ballot, PublicVote, VoteEntry


@admin.register(PublicVote)
class PublicVoteAdmin(admin.ModelAdmin):
    """Read here; set up and changed through the API (its services audit every change)."""

    list_display = ["title", "contest", "opens_at", "closes_at", "published_at", "counted", "voided"]
    readonly_fields = ["published_at", "counted", "voided"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(VoteEntry)
class VoteEntryAdmin(admin.ModelAdmin):
    list_display = ["entry", "public_vote", "category", "votes", "rank", "prize"]
    list_filter = ["public_vote"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    """Ballots are voided through the fraud view (audited, with the tally moved), never edited."""

    list_display = ["voter", "vote_entry", "cast_at", "changes", "address", "voided_at"]
    list_filter = ["public_vote"]
    raw_id_fields = ["voter", "vote_entry", "library"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
