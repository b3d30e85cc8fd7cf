import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contests.models import Category, Contest
from people.models import Library
from submissions.enums import EntryStatus


def attachment_path(entry, filename: str) -> str:
    # A random name: nothing the entrant typed reaches the file system. The extension is the
    # one of the detected type, set by the service before saving.
    return f"entries/{entry.contest_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Entry(models.Model):
    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="entries")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="entries")
    entrant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entrant"), on_delete=models.PROTECT, related_name="entries"
    )
    # The library that mobilized the entrant, fixed at submission: it gets the credit on the
    # leaderboards even if the student later moves.
    library = models.ForeignKey(Library, verbose_name=_("library"), on_delete=models.PROTECT, related_name="entries")
    code = models.CharField(_("sealed code"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    book_title = models.CharField(_("book title"), max_length=300)
    book_author = models.CharField(_("book author"), max_length=200)
    book_publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    book_year = models.PositiveSmallIntegerField(_("year published"), null=True, blank=True)
    book_isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    body = models.TextField(_("essay text"), blank=True)
    word_count = models.PositiveIntegerField(_("words"), default=0)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True, max_length=200)
    attachment_name = models.CharField(_("attachment's file name"), max_length=200, blank=True)
    attachment_type = models.CharField(_("attachment's type"), max_length=8, blank=True)
    attachment_size = models.PositiveBigIntegerField(_("attachment's size"), null=True, blank=True)
    # The attachment without its author's metadata (submissions.cleaning): the only file a judge
    # is sent. The original above is for the entrant, their library and the organizers.
    blind_attachment = models.FileField(
        _("attachment for the judges"), upload_to=attachment_path, blank=True, max_length=200, editable=False
    )
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED)
    disqualification_reason = models.TextField(_("reason for disqualification"), blank=True)
    is_paper = models.BooleanField(_("paper entry"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The entrant, or the library staff who typed in a paper entry."),
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    disqualification_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["contest", "status"]),
            models.Index(fields=["category", "entrant", "status"]),
            models.Index(fields=["library", "contest"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(body="") | ~models.Q(attachment="") | ~models.Q(video_url=""),
                name="entry_has_content",
            ),
        ]

    def __str__(self):
        return self.code
