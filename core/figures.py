"""Figures shown to people (round scores, judges' lowest totals and spreads, leaderboard
averages and participation rates) follow one convention everywhere: computed from exact values
and rounded once, half up (away from zero), to 4 decimals, where they are stored; the API, the
CSV exports and the pages then show those digits as they are, never rounding them again.

PostgreSQL's ROUND(numeric) already rounds half away from zero. SQLite's ROUND works on the
binary double (7.19625 is stored as 7.19624999…) and its result depends on its version, and
Python's round() and Decimal.quantize() round half to even by default: SQLite's ROUND is
therefore replaced by `sqlite_round` on every connection, and Python code rounds with `figure`.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext

PLACES = 4
QUANTUM = Decimal(1).scaleb(-PLACES)  # 0.0001


def figure(value: Decimal | int) -> Decimal:
    """An exact value as a figure: half up to 4 decimals."""
    with localcontext() as context:
        context.prec = 40  # room for the quotient's digits before the one rounding
        return Decimal(value).quantize(QUANTUM, rounding=ROUND_HALF_UP)


def figure_text(value: Decimal | None) -> str | None:
    """A stored figure for JSON: its 4 decimals as a string ("7.1963"), or None."""
    return None if value is None else str(figure(value))


def sqlite_round(value, digits=0):
    """SQLite's ROUND(x[, digits]) as PostgreSQL rounds a double precision cast to numeric: the
    double read as the decimal of its 15 significant digits (PostgreSQL's cast), then half away
    from zero. So a mean the exact arithmetic puts at 7.19625 rounds to 7.1963 on both."""
    if value is None or digits is None:
        return None
    with localcontext() as context:
        context.prec = 40
        exact = Decimal(value) if isinstance(value, int) else Decimal(f"{float(value):.15g}")
        return float(exact.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP))


def sqlite_functions_install(sender, connection, **kwargs) -> None:
    """connection_created: every SQLite connection gets `sqlite_round` as its ROUND."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("ROUND", 1, sqlite_round, deterministic=True)
        connection.connection.create_function("ROUND", 2, sqlite_round, deterministic=True)
