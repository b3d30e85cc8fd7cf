"""The demo world: the networks and libraries of ../shared/seed/'s article, with people, and
three contests.

Running the seed again changes nothing that the demo's users changed: networks, libraries and
people are looked up before they are created (and brought back if deleted by hand, their
passwords reset to the demo's); each contest is made whole, with its entries, panels, marks and
publication, only when no contest has its title. A contest found again belongs to whoever is
trying the demo: its entries, rounds, prizes and publication are never touched.
"""

import random
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from demo.contest import demo_contest_seed
from demo.judging import LEFT_FOR_THE_DEMO, demo_contest_2025_seed, demo_judges_seed
from demo.names import full_name
from demo.results import demo_contest_2024_seed
from people import services as people_services
from people.enums import NetworkKind
from people.models import Library, LibraryStaff, Network, NetworkOrganizer, User

DEMO_PASSWORD = "Docsach@2026"
STUDENTS_PER_LIBRARY = 24

NATIONAL = ("Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL", NetworkKind.NATIONAL)
# (name, short name, kind): all directly below the national body
NETWORKS = [
    ("Liên Chi hội thư viện đại học khu vực phía Bắc", "NALA", NetworkKind.ASSOCIATION),
    ("Hội Liên hiệp thư viện các trường đại học phía Nam", "VILASAL", NetworkKind.ASSOCIATION),
    ("Thành phố Hà Nội", "Hà Nội", NetworkKind.PROVINCE),
    ("Tỉnh Nghệ An", "Nghệ An", NetworkKind.PROVINCE),
    ("Tỉnh Thái Nguyên", "Thái Nguyên", NetworkKind.PROVINCE),
]
# (name, short name, network short name, students served, staff username)
LIBRARIES = [
    ("Thư viện Đại học Quốc gia Hà Nội", "VNU-LIC", "NALA", 52000, "thuvien.vnu"),
    ("Thư viện Học viện Chính trị Công an nhân dân", "HVCTCAND", "NALA", 3500, "thuvien.hvctcand"),
    ("Thư viện Trường Đại học Sư phạm Hà Nội 2", "HPU2", "NALA", 9000, "thuvien.hpu2"),
    ("Thư viện Học viện Ngân hàng", "BAV", "NALA", 16000, "thuvien.hvnh"),
    ("Thư viện Trường Đại học Vinh", "VINHUNI", "NALA", 25000, "thuvien.dhvinh"),
    ("Trung tâm Học liệu – Đại học Thái Nguyên", "TNU-LRC", "NALA", 30000, "thuvien.tnu"),
    ("Thư viện Viện Đại học Mở Hà Nội", "HOU", "NALA", 20000, "thuvien.hou"),
    ("Thư viện Trung tâm Đại học Quốc gia TP. Hồ Chí Minh", "VNUHCM-CL", "VILASAL", 60000, "thuvien.vnuhcm"),
    ("Thư viện Hà Nội", "TVHN", "Hà Nội", None, "thuvien.hanoi"),
    ("Thư viện Trường THPT Chu Văn An", "CVA", "Hà Nội", 1800, "thuvien.cva"),
    ("Thư viện tỉnh Nghệ An", "TVNA", "Nghệ An", None, "thuvien.nghean"),
    ("Thư viện Trường THCS Đặng Thai Mai", "DTM", "Nghệ An", 1100, "thuvien.dtm"),
    ("Thư viện tỉnh Thái Nguyên", "TVTN", "Thái Nguyên", None, "thuvien.thainguyen"),
]


@cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose (~0.3 s); the demo's hundred accounts share one hash.
    return make_password(DEMO_PASSWORD)


@dataclass
class DemoWorld:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, full name)
    networks: int = 0
    libraries: int = 0
    students: int = 0
    contest: str = ""
    new_entries: int = 0
    judging: str = ""
    results: str = ""
    left_alone: list[str] = field(default_factory=list)  # contests found as the demo's users left them


def demo_user(*, username: str, full_name: str, library: Library | None = None, **flags) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.full_name = full_name
    user.email = f"{username}@demo.docsach.vn"
    user.library = library
    user.welcomed_at = user.welcomed_at or timezone.now()  # demo addresses get no mail
    for flag, value in flags.items():
        setattr(user, flag, value)
    user.password = _demo_password_hash()
    user.save()
    return user


def _network(*, organizer: User, name: str, short_name: str, kind: str, parent: Network | None) -> Network:
    existing = Network.objects.filter(parent=parent, name=name).first()
    if existing:
        return existing
    return people_services.network_create(actor=organizer, name=name, short_name=short_name, kind=kind, parent=parent)


def _library(*, organizer: User, name: str, short_name: str, network: Network, student_count) -> Library:
    existing = Library.objects.filter(name=name).first()
    if existing:
        return existing
    return people_services.library_create(
        actor=organizer, name=name, short_name=short_name, network=network, student_count=student_count
    )


@transaction.atomic
def demo_world_seed() -> DemoWorld:
    world = DemoWorld()
    organizer = demo_user(username="bantochuc", full_name="Trần Minh Quang", is_staff=True, is_superuser=True)
    world.logins.append(("platform organizer (admin)", organizer.username, organizer.full_name))

    national = _network(organizer=organizer, name=NATIONAL[0], short_name=NATIONAL[1], kind=NATIONAL[2], parent=None)
    networks = {NATIONAL[1]: national}
    for name, short_name, kind in NETWORKS:
        networks[short_name] = _network(
            organizer=organizer, name=name, short_name=short_name, kind=kind, parent=national
        )
    world.networks = len(networks)

    nala_organizer = demo_user(username="nala", full_name="Lê Thu Hà")
    NetworkOrganizer.objects.get_or_create(user=nala_organizer, network=networks["NALA"])
    world.logins.append(("network organizer (NALA)", nala_organizer.username, nala_organizer.full_name))

    rng = random.Random(2026)  # the same people on every run
    for index, (name, short_name, network, student_count, staff_username) in enumerate(LIBRARIES):
        library = _library(
            organizer=organizer,
            name=name,
            short_name=short_name,
            network=networks[network],
            student_count=student_count,
        )
        staff = demo_user(username=staff_username, full_name=full_name(rng))
        LibraryStaff.objects.get_or_create(user=staff, library=library)
        if index == 0:
            world.logins.append((f"library staff ({short_name})", staff.username, staff.full_name))
        for number in range(1, STUDENTS_PER_LIBRARY + 1):
            username = f"{short_name.lower()}.sv{number:02d}"
            # The demo's students agreed to their names being shown; a later run does not undo
            # a withdrawal made in the demo.
            agreed = {} if User.objects.filter(username=username).exists() else {"publish_consent_at": timezone.now()}
            student = demo_user(username=username, full_name=full_name(rng), library=library, **agreed)
            world.students += 1
            if index == 0 and number == 1:
                world.logins.append(("student", student.username, student.full_name))
    world.libraries = len(LIBRARIES)
    judges = demo_judges_seed(demo_user=demo_user)
    world.logins.append(("judge", judges[0].username, judges[0].full_name))

    contest, world.new_entries = demo_contest_seed(organizer=organizer, national=national)
    last_year, judging_made = demo_contest_2025_seed(organizer=organizer, national=national, judges=judges)
    published, published_made = demo_contest_2024_seed(organizer=organizer, national=national, judges=judges)
    world.contest = f"{contest.title} ({contest.entries.count()} entries)"
    world.judging = f"{last_year.title} ({last_year.entries.count()} entries)"
    world.results = f"{published.title} ({published.entries.count()} entries)"
    if judging_made:
        world.judging += (
            f": {len(judges)} judges on both rounds; round 1 assigned and scored, but for {LEFT_FOR_THE_DEMO} "
            f"entries that {judges[0].username} still marks"
        )
    if published_made:
        world.results += f": judged, prizes awarded, published, {published.certificates.count()} certificates issued"
    found = [
        each
        for each, made in ((contest, world.new_entries), (last_year, judging_made), (published, published_made))
        if not made
    ]
    world.left_alone = [f"{each.title} ({each.status})" for each in found]
    return world
