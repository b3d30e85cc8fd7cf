from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self):
        from django.db.backends.signals import connection_created

        from core.figures import sqlite_functions_install

        connection_created.connect(sqlite_functions_install, dispatch_uid="core.figures.sqlite")
