"""What submissions tells the layers above it (results re-awards its prizes and refreshes its
leaderboards by them), without importing them."""

from django.dispatch import Signal

# Sent inside the transaction that withdrew or disqualified an entry, with `entry` and `actor`.
entry_left = Signal()
