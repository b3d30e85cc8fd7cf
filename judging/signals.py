"""What judging tells the layers above it (results keeps its leaderboards fresh by them),
without importing them."""

from django.dispatch import Signal

# Sent inside round_close's transaction, with `judging_round`.
round_closed = Signal()
