"""Figures the fault and worker tests measure (requests tried, 5xx seen, recovery times...),
printed in pytest's terminal summary so that a run shows them without -s. Only correctness is
asserted; the figures are for reading."""

FIGURES: list[tuple[str, dict]] = []


def figures_record(title: str, **values) -> None:
    FIGURES.append((title, values))
    print(f"\n{title}: " + ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in values.items()))
