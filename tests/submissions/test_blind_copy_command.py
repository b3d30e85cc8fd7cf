"""Entries sent before there were judges' copies get theirs from `attachments_blind_copy`."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from submissions.models import Entry
from tests.factories import EntryFactory
from tests.files import PDF, docx_bytes, jpeg_with_author

pytestmark = pytest.mark.django_db

WHO = {"full_name": "Hoàng Thị Bích Ngọc", "username": "bichngoc", "email": "ngoc@zeta.edu.vn", "library": "Zeta"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sent_before(data: bytes, kind: str, extension: str) -> Entry:
    entry = EntryFactory()
    entry.attachment.save(f"upload.{extension}", ContentFile(data), save=False)
    entry.attachment_type = kind
    entry.save()
    return entry


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("attachments_blind_copy", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_older_entries_get_their_copy_once_and_a_file_refused_today_gets_none(tmp_path):
    photo = sent_before(jpeg_with_author(WHO), "jpeg", "jpg")
    macro = sent_before(docx_bytes(extra={"word/vbaProject.bin": b"VBA"}), "docx", "docx")
    no_file = EntryFactory()

    first = run()
    copy = Path(Entry.objects.get(pk=photo.pk).blind_attachment.path)
    second = run()

    assert first == (
        "judges' copies made: 1; entries still without one: 1\n",
        f"  {macro.code}: Tài liệu Word này có macro (VBA), không được chấp nhận. "
        "Hãy lưu lại thành tài liệu Word thông thường (.docx).\n",
    )
    assert copy.read_bytes()[:3] == b"\xff\xd8\xff" and WHO["full_name"].encode() not in copy.read_bytes()
    assert second[0] == "judges' copies made: 0; entries still without one: 1\n"  # the photo's copy is not made again
    assert Entry.objects.get(pk=macro.pk).blind_attachment == ""
    assert Entry.objects.get(pk=no_file.pk).blind_attachment == ""
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 3  # two uploads, one copy


def test_check_changes_nothing_and_fails_while_an_entry_lacks_its_copy():
    entry = sent_before(PDF, "pdf", "pdf")

    with pytest.raises(CommandError) as failed:
        run("--check")
    run()
    run("--check")

    assert str(failed.value) == "entries without a copy for the judges: 1; run attachments_blind_copy."
    entry.refresh_from_db()
    assert entry.blind_attachment.name.endswith(".pdf")
