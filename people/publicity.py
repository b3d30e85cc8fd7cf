"""Whether a person's name may appear in public, and what stands in for it when not.

The one helper every public place uses (results, their CSV, the round rankings, the prizes, the
certificates' verification): an entrant without consent to publish (User.publish_consent_at,
given by them or, for a child, by their guardian: the privacy app) is shown as the code of their
entry and its library only. Organizers of the contest may be shown names (`reveal`).
"""

from typing import Any


def name_is_public(person) -> bool:
    return person.publish_consent_at is not None


def entrant_public(entry, *, reveal: bool = False) -> dict[str, Any]:
    """The entrant of `entry` as the public reads them: {"id", "full_name", "name_withheld"}."""
    entrant = entry.entrant
    if reveal or name_is_public(entrant):
        return {"id": entrant.pk, "full_name": entrant.full_name, "name_withheld": False}
    return {"id": None, "full_name": entry.code, "name_withheld": True}


def entrant_public_name(entry) -> str:
    return entrant_public(entry)["full_name"]
