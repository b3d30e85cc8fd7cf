from django.core.management.base import BaseCommand

from demo.services import DEMO_PASSWORD, demo_world_seed


class Command(BaseCommand):
    help = (
        "Create the demo world: networks, libraries, people and three contests. Run again, it brings back "
        "deleted networks, libraries and people, and never touches a contest that is already there."
    )

    def handle(self, *args, **options):
        world = demo_world_seed()
        self.stdout.write(
            f"Demo world: {world.networks} networks, {world.libraries} libraries, {world.students} students."
        )
        self.stdout.write(f"Demo contest: {world.contest}.")
        self.stdout.write(f"Demo judging: {world.judging}.")
        self.stdout.write(f"Demo results: {world.results}.")
        if world.left_alone:
            self.stdout.write(f"Found as they were left, and not touched: {'; '.join(world.left_alone)}.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, username, name in world.logins:
            self.stdout.write(f"  {role:<32} {username:<20} {name}")
