from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what, when, and how it looked before and after. Written in the same
    transaction as the change it records, so one never exists without the other."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.BigIntegerField(_("target id"))
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a client sent with a request that creates something (core.idempotency),
    written in the same transaction as what it created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the method, the path and the body
    results = models.JSONField(default=list)  # the ids of what the request created
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]

    def __str__(self):
        return f"{self.user_id}: {self.key}"


class OutboxTask(models.Model):
    """Work a change asked for, written in the same transaction as the change and kept until a
    worker has done it: the broker being down, hung or restarted at the moment of the commit
    loses nothing. Sent on commit; the sweep (core.outbox.outbox_sweep) sends again what was not
    sent, what a dead worker held, and what failed, after a pause. A done task's row is deleted."""

    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    # When the sweep sends it (again), unless a worker finishes it first.
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    # A worker runs it until then, renewing the lease while it works; past it, the worker is
    # taken for dead and the sweep sends it again.
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    sends = models.PositiveIntegerField(_("sent again"), default=0)
    attempts = models.PositiveIntegerField(_("runs started"), default=0)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        ordering = ["next_attempt_at", "id"]

    def __str__(self):
        return f"{self.task}({self.kwargs})"
