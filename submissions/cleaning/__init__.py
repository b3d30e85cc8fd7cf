"""The judges' copy of an attachment: the same document without who made it.

Pure functions on bytes, with no Django in them: the PDF's are run in a child process under
limits (pdf.py), which imports these modules on its own. Each function returns the cleaned
bytes or raises Refused with a reason that submissions.files turns into a message.
"""


class Refused(Exception):
    """The file cannot be accepted: `reason` says why, `found` names what was found in it."""

    def __init__(self, reason: str, found: tuple[str, ...] = ()):
        self.reason = reason
        self.found = tuple(found)
        super().__init__(reason, *self.found)
