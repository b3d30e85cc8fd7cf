from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screening for copies")

    def ready(self):
        from screening import hooks  # noqa: F401  (registers its holds and notes with judging)
