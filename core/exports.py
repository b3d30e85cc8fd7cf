"""What every CSV export shares."""


def spreadsheet_cell(value):
    # A cell starting with = + - @ is a formula to Excel: quote it, so an entry titled
    # "=HYPERLINK(...)" stays text on the organizer's machine.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
