from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from contests.models import Category
from core.serializers import CharField, ModelSerializer, PrimaryKeyRelatedField
from people.models import Library, User
from people.serializers import LibraryBriefSerializer
from submissions.enums import EntryStatus
from submissions.models import Entry
from submissions.permissions import can_edit_entry


class EntryContentSerializer(serializers.Serializer):
    """What an entrant writes. Status, code, library and scores are not fields here: sent, they
    are ignored."""

    title = CharField(max_length=300)
    book_title = CharField(max_length=300)
    book_author = CharField(max_length=200)
    book_publisher = CharField(max_length=200, required=False, allow_blank=True)
    book_year = serializers.IntegerField(min_value=1000, required=False, allow_null=True)
    book_isbn = CharField(max_length=20, required=False, allow_blank=True)
    body = CharField(required=False, allow_blank=True, max_length=200_000, trim_whitespace=False)
    attachment = serializers.FileField(required=False, allow_empty_file=True)
    video_url = CharField(max_length=500, required=False, allow_blank=True)

    def validate_book_year(self, year):
        if year is not None and year > timezone.now().year:
            raise serializers.ValidationError(_("The book cannot be published in the future."))
        return year


class EntrySubmitSerializer(EntryContentSerializer):
    # With its contest and network: the submission reads nothing else before its transaction.
    category = PrimaryKeyRelatedField(queryset=Category.objects.select_related("contest__network"))


class EntryUpdateSerializer(EntryContentSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "book_title", "book_author"):
            self.fields[name].required = False


class PaperEntrySerializer(EntrySubmitSerializer):
    library = PrimaryKeyRelatedField(queryset=Library.objects.all())
    entrant = PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text=_("A student of the library; or give a name below.")
    )
    entrant_full_name = CharField(max_length=150, required=False, allow_blank=True)
    entrant_email = serializers.EmailField(required=False, allow_blank=True)


class PaperImportSerializer(serializers.Serializer):
    library = PrimaryKeyRelatedField(queryset=Library.objects.all())
    file = serializers.FileField(help_text=_("CSV in UTF-8: category, entrant_full_name, entrant_email, title, ..."))


class ImportResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.CharField())


class DisqualifySerializer(serializers.Serializer):
    reason = CharField(max_length=2000)


class PersonBriefSerializer(ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]


class EntrySerializer(ModelSerializer):
    """An entry as its entrant, their library's staff and the organizers see it."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    contest_title = serializers.CharField(source="contest.title", read_only=True)
    entrant = PersonBriefSerializer(read_only=True)
    library = LibraryBriefSerializer(read_only=True)
    attachment = serializers.SerializerMethodField()
    editable = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=EntryStatus.choices, read_only=True)
    video_url = serializers.CharField(read_only=True, help_text=_("An https link, or empty."))

    class Meta:
        model = Entry
        fields = [
            "id",
            "code",
            "contest",
            "contest_title",
            "category",
            "category_name",
            "title",
            "book_title",
            "book_author",
            "book_publisher",
            "book_year",
            "book_isbn",
            "body",
            "word_count",
            "attachment",
            "attachment_name",
            "attachment_type",
            "attachment_size",
            "video_url",
            "status",
            "disqualification_reason",
            "entrant",
            "library",
            "is_paper",
            "created_at",
            "updated_at",
            "editable",
        ]
        read_only_fields = fields

    def get_attachment(self, entry) -> str | None:
        """The permission-checked download, never the file's storage path."""
        return reverse("entry-attachment", kwargs={"pk": entry.pk}) if entry.attachment else None

    def get_editable(self, entry) -> bool:
        request = self.context.get("request")
        return bool(request and can_edit_entry(request.user, entry))


class CategoryCountSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    name = serializers.CharField()
    entries = serializers.IntegerField()


class LibrarySummarySerializer(serializers.Serializer):
    library = LibraryBriefSerializer()
    members = serializers.IntegerField(help_text=_("Students registered through the library."))
    entrants = serializers.IntegerField(help_text=_("Students with at least one entry in this contest."))
    entries = serializers.IntegerField()
    by_category = CategoryCountSerializer(many=True)
    latest = EntrySerializer(many=True)
