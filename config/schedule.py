"""Every periodic task of the platform, declared in code.

`manage.py setup_periodic_tasks` writes these into django-celery-beat's tables (run at every
deploy and by `make run`); nobody sets schedules up by hand in the admin.
"""

PERIODIC_TASKS = {
    # name: (task, crontab fields in Asia/Ho_Chi_Minh, or {"every": seconds})
    "core: send again the queued tasks the broker missed or a dead worker held": (
        "core.tasks.outbox_sweep_task",
        {"every": 30},
    ),
    "contests: close contests whose window has passed": (
        "contests.tasks.contests_close_due_task",
        {"minute": "*"},
    ),
    "submissions: upload files left by requests that died": (
        "submissions.tasks.attachments_orphaned_sweep_task",
        {"minute": "17"},
    ),
    "core: forget Idempotency-Keys past their time": (
        "core.tasks.idempotency_keys_prune_task",
        {"minute": "40", "hour": "3"},
    ),
    "judging: remind judges of the entries waiting for their marks": (
        "judging.tasks.judges_remind_task",
        {"minute": "0", "hour": "8"},
    ),
    "screening: fingerprint new and changed entries": (
        "screening.tasks.screening_sweep_task",
        {"minute": "*"},
    ),
    "results: publish the results scheduled for now": (
        "results.tasks.results_publish_due_task",
        {"minute": "*"},
    ),
    "privacy: pseudonymise entrants' data past the contest's kept time": (
        "privacy.tasks.retention_sweep_task",
        {"minute": "20", "hour": "2"},
    ),
}
