from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results, prizes and leaderboards")

    def ready(self):
        from results import receivers  # noqa: F401  (connects to judging's and submissions' signals)
