"""OpenAPI post-processing: document the error responses every operation can give.

drf-spectacular documents the success responses only. Our exception handler makes every
error a small JSON object, so each operation lists those statuses too; the schema fuzz then
checks that no operation answers with a status or body the schema does not describe.
"""

from drf_spectacular import openapi
from rest_framework.permissions import SAFE_METHODS


class AutoSchema(openapi.AutoSchema):
    def get_auth(self):
        # drf-spectacular knows AllowAny and IsAuthenticatedOrReadOnly by class; our permission
        # classes say it with `anonymous_reads`, so public reads are documented as such.
        auth = super().get_auth()
        anonymous_reads = any(getattr(p, "anonymous_reads", False) for p in self.view.get_permissions())
        if anonymous_reads and self.method in SAFE_METHODS and {} not in auth:
            auth.append({})
        return auth


ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` (a message) or, for invalid fields, a list of messages per field.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": True,
}

ERROR_STATUSES = {
    "400": "Invalid input: messages per field, or `detail`.",
    "401": "Not signed in.",
    "403": "Signed in, but not allowed.",
    "404": "Not found, or not visible to you.",
    "405": "Method not allowed here.",
    "406": "The requested representation is not available.",
    "409": "Conflicts with the current state.",
    "413": "The request body is larger than the platform accepts here.",
    "415": "Unsupported request body type.",
    "429": "Too many requests; retry later.",
}


def document_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
