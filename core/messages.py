"""Messages of Django and DRF whose Vietnamese translation those projects do not ship.

Listed here only so that `makemessages` puts them in our catalogue, which Django reads before
its own: every message a person reads then comes in Vietnamese too. Nothing imports this.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PLURAL = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "n",
    ),
    ngettext_lazy(
        "Request was throttled. Expected available in {wait} second.",
        "Request was throttled. Expected available in {wait} seconds.",
        "n",
    ),
]

SINGULAR = [
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Invalid token."),
    gettext_noop("Invalid page."),
    gettext_noop("Request was throttled."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("A valid integer is required."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Malformed request."),
    gettext_noop("JSON parse error - {detail}"),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("This field may not be null."),
    gettext_noop("Not a valid string."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop('Must include "username" and "password".'),
    gettext_noop("User account is disabled."),
    gettext_noop("This list may not be empty."),
    gettext_noop("The submitted data was not a file. Check the encoding type on the form."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("A valid number is required."),
    gettext_noop("Ensure that there are no more than {max_digits} digits in total."),
    gettext_noop("Ensure that there are no more than {max_decimal_places} decimal places."),
]
