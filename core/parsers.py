"""The API's parsers: DRF's, with what a hostile client sends refused as a 400.

JSON nested thousands deep: Python's json raises RecursionError, which is not a ValueError, so
DRF's parser let it through as a 500; and a body nested a few hundred deep that does parse can
still exhaust the stack later (rendering it back, storing it). No request of this API nests
more than a handful of levels, so anything past MAX_JSON_DEPTH is refused outright.

Multipart: Django quietly keeps the last path component of "../../etc/x.pdf"; we never use the
name for storage anyway (files get random names), but a name with a path is a broken or
hostile client, and the person behind it is better told than silently corrected.
"""

from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32


def json_too_deep(value, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether lists and objects nest more than `limit` deep (iteratively: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
        else:
            if not json_too_deep(data):
                return data
        raise ParseError(
            _("The JSON nests lists or objects more than {limit} deep.").format(limit=MAX_JSON_DEPTH),
            code="too_deep",
        )


class _NoPathsMultiPartParser(DjangoMultiPartParser):
    def sanitize_file_name(self, file_name):
        if "/" in file_name or "\\" in file_name or file_name.strip() in {".", ".."}:
            raise MultiPartParserError(_("File names must not contain a folder path."))
        return super().sanitize_file_name(file_name)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            data, files = _NoPathsMultiPartParser(
                meta, stream, request.upload_handlers, parsers.get_encoding(parser_context)
            ).parse()
        except MultiPartParserError as error:
            raise ParseError(str(error)) from error
        return parsers.DataAndFiles(data, files)
