from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Children's data")

    def ready(self):
        from privacy import hooks  # noqa: F401  (holds entries without a guardian's consent back from judging)
