"""The people's choice in a real browser: a voter on a phone opens an entry, votes and moves
their vote; an unconfirmed voter confirms their e-mail through the link; the organizer sees the
flags, voids a farm's votes with a reason and publishes the list with how many were voided."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from contests.enums import ContestStatus
from core.models import AuditEntry
from people.models import User
from tests.e2e.conftest import row_texts, screenshot
from tests.factories import (
    CategoryFactory,
    ContestFactory,
    EntryFactory,
    LibraryFactory,
    NetworkFactory,
    NetworkOrganizerFactory,
    StudentFactory,
)
from voting import services
from voting.models import Ballot, EntryView, PublicVote, VoteEntry

pytestmark = pytest.mark.e2e


class World:
    pass


@pytest.fixture
def world(transactional_db) -> World:
    world = World()
    north = NetworkFactory(name="Liên Chi hội Thư viện phía Bắc", short_name="Phía Bắc")
    world.library = LibraryFactory(name="Thư viện Đại học Vinh", network=north)
    world.organizer = NetworkOrganizerFactory(
        network=north, user__username="tochuc", user__full_name="Ban tổ chức"
    ).user
    contest = ContestFactory(title="Đại sứ Văn hóa đọc 2026", network=north, status=ContestStatus.JUDGING)
    category = CategoryFactory(contest=contest, name="Video")
    now = timezone.now()
    world.vote = PublicVote.objects.create(
        contest=contest,
        title="Clip được yêu thích nhất",
        opens_at=now - timedelta(hours=2),
        closes_at=now + timedelta(days=3),
        burst_votes=3,
        burst_minutes=10,
        address_votes=3,
        flag_min_votes=3,
    )
    world.clips = []
    for name, title in [("Nguyễn Thị Hường", "Em đọc sách cùng bà"), ("Trần Quốc Việt", "Thư viện của em")]:
        entry = EntryFactory(
            category=category,
            entrant=StudentFactory(full_name=name, library=world.library),
            title=title,
            body=f"Lời giới thiệu clip {title}.",
            video_url="https://www.youtube.com/watch?v=abc",
        )
        world.clips.append(VoteEntry.objects.create(public_vote=world.vote, entry=entry, category=category))
    return world


def verified_student(library, **kwargs) -> User:
    user = StudentFactory(library=library, **kwargs)
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


def test_a_voter_on_a_phone_opens_an_entry_votes_and_moves_the_vote(site, sign_in, world):
    page = site.page
    page.set_viewport_size({"width": 390, "height": 844})
    voter = sign_in(verified_student(world.library, username="bandoc"))

    site.open(f"/votes/{world.vote.pk}/")
    expect(page.locator("h1")).to_have_text("Clip được yêu thích nhất")
    cards = page.locator("#gallery .card")
    expect(cards).to_have_count(2)
    first, second = cards.nth(0), cards.nth(1)
    expect(first.locator("[data-action='vote']")).to_have_text("Mở bài để bình chọn")
    expect(first.locator("[data-action='vote']")).to_be_disabled()
    expect(first.locator("[data-field='votes']")).to_be_hidden()  # no counts while open

    first.get_by_role("button", name="Đọc / xem bài").click()
    expect(first.locator("[data-field='body']")).to_have_text("Lời giới thiệu clip Em đọc sách cùng bà.")
    first.get_by_role("button", name="Bình chọn bài này").click()
    expect(first.locator("[data-action='vote']")).to_have_text("✓ Bạn đã chọn bài này")
    expect(page.locator("#vote-error")).to_have_text("Đã ghi nhận phiếu của bạn cho “Em đọc sách cùng bà”.")
    expect(second.locator("[data-action='vote']")).to_have_text("Mở bài để bình chọn")
    second.get_by_role("button", name="Đọc / xem bài").click()
    second.get_by_role("button", name="Đổi phiếu sang bài này").click()

    expect(second.locator("[data-action='vote']")).to_have_text("✓ Bạn đã chọn bài này")
    expect(first.locator("[data-action='vote']")).to_have_text("Đổi phiếu sang bài này")
    assert [VoteEntry.objects.get(pk=clip.pk).votes for clip in world.clips] == [0, 1]
    assert Ballot.objects.get(voter=voter).changes == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "vote-gallery-phone")


def test_an_unconfirmed_voter_confirms_the_email_through_the_link_then_votes(site, sign_in, world):
    page = site.page
    page.add_init_script("window.localStorage.setItem('lang', 'en')")
    voter = sign_in(StudentFactory(library=world.library, username="moi", email="moi@example.com"))

    site.open(f"/votes/{world.vote.pk}/")
    expect(page.locator("#confirm-form [data-field='refusal']")).to_have_text(
        "Confirm your e-mail address before voting: we sent you a link, or ask for a new one."
    )
    expect(page.locator("#gallery .card").first.locator("[data-action='vote']")).to_have_text(
        "Confirm your e-mail to vote"
    )
    page.get_by_role("button", name="Send the confirmation link again").click()
    expect(page.locator("#confirm-sent")).to_be_visible()
    link = re.search(r"(/confirm-email/\?token=\S+)", mail.outbox[-1].body).group(1)
    site.open(link)
    expect(page.locator("#confirm-outcome")).to_have_text("moi@example.com is confirmed. You may vote.")

    site.open(f"/votes/{world.vote.pk}/")
    card = page.locator("#gallery .card").first
    card.get_by_role("button", name="Read / watch").click()
    card.get_by_role("button", name="Vote for this entry").click()

    expect(card.locator("[data-action='vote']")).to_have_text("✓ Your vote")
    assert Ballot.objects.filter(voter=voter).count() == 1


def test_the_organizer_voids_a_farms_votes_and_publishes_the_list(site, sign_in, world):
    page = site.page
    farm = LibraryFactory(name="Thư viện Ảo", network=world.library.network)
    for n in range(4):
        voter = verified_student(farm, username=f"ao{n}")
        EntryView.objects.create(vote_entry=world.clips[0], viewer=voter)
        services.ballot_cast(voter=voter, public_vote=world.vote, entry_id=world.clips[0].entry_id, address="10.9.9.9")
    honest = verified_student(world.library, username="thật")
    EntryView.objects.create(vote_entry=world.clips[1], viewer=honest)
    services.ballot_cast(voter=honest, public_vote=world.vote, entry_id=world.clips[1].entry_id, address="10.1.1.1")
    sign_in(world.organizer)

    site.open(f"/organize/votes/{world.vote.pk}/")
    expect(page.locator("#fraud-totals")).to_have_text("5 phiếu đang tính; 0 phiếu đã hủy.")
    farmed = page.locator("#fraud-entries tbody tr").first
    expect(farmed.locator("[data-field='flags']")).to_contain_text("tăng đột biến")
    expect(farmed.locator("[data-field='flags']")).to_contain_text("dồn về một địa chỉ")
    expect(farmed.locator("[data-field='top_library']")).to_have_text("Thư viện Ảo (100 %)")
    screenshot(page, "vote-fraud-view")

    page.locator("#fraud-addresses tbody tr").first.get_by_role("button", name="Xem phiếu").click()
    expect(page.locator("#ballots tbody tr")).to_have_count(4)
    for box in page.locator("#ballots tbody input[type=checkbox]").all():
        box.check()
    page.get_by_role("button", name="Hủy các phiếu đã chọn").click()
    expect(page.locator("#void-reason + .error")).to_be_visible()  # a reason is required
    page.get_by_label("Lý do hủy (ghi vào nhật ký)").fill("Bốn tài khoản mới cùng một máy trong hai phút")
    page.get_by_role("button", name="Hủy các phiếu đã chọn").click()
    expect(page.locator("#void-outcome")).to_have_text("Đã hủy 4 phiếu.")
    expect(page.locator("#fraud-totals")).to_have_text("1 phiếu đang tính; 4 phiếu đã hủy.")
    assert AuditEntry.objects.filter(action="ballot.voided").count() == 4

    PublicVote.objects.filter(pk=world.vote.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page.reload()
    page.get_by_role("button", name="Công bố kết quả bình chọn").click()
    expect(page.locator("#publish-outcome")).to_have_text("Đã công bố: 1 phiếu hợp lệ, 4 phiếu bị hủy.")

    site.open(f"/votes/{world.vote.pk}/")
    expect(page.locator("#results-counts")).to_have_text("1 phiếu hợp lệ; 4 phiếu bị ban tổ chức hủy.")
    assert row_texts(page, "#vote-results tbody tr") == [
        ["1", "Thư viện của em", "Trần Quốc Việt", "Video", "1", "Giải Bình chọn"],
        ["2", "Em đọc sách cùng bà", "Nguyễn Thị Hường", "Video", "0", ""],
    ]
    expect(page.locator("#gallery .card").first.locator("[data-action='vote']")).to_have_text("Bình chọn đã đóng")
    screenshot(page, "vote-results")
