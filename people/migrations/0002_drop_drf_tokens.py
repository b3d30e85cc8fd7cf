"""API tokens moved from DRF's authtoken (one plain-text key per user, never expiring) to
django-rest-knox (hashed, expiring, one per sign-in). The old keys are not carried over: they
were stored in the clear and never expired. Scripts sign in again (POST /api/auth/token/).
This drops DRF's table and forgets its migrations, so that the app could be installed again
from scratch; `manage.py remove_stale_contenttypes` clears its content type."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL(
            ["DROP TABLE IF EXISTS authtoken_token", "DELETE FROM django_migrations WHERE app = 'authtoken'"],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
