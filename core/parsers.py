"""A multipart parser that refuses file names carrying a path.

Django quietly keeps the last path component of "../../etc/x.pdf"; we never use the name for
storage anyway (files get random names), but a name with a path is a broken or hostile client,
and the person behind it is better told than silently corrected.
"""

from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


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
