from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world (`manage.py seed_demo`). It sits on top of every other app."""

    name = "demo"
    verbose_name = "Demo"
