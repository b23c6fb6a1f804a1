"""The OpenAPI schema's one place for what every operation shares: the error answers it may give
(400, 401, 403, 404, 409, each with its body), public reads marked as such, and what PATCH means.

Settings: REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]. A view says what only it knows by attributes:
`may_conflict = True` where a write can be refused as a conflict (409) other than a DELETE; a
permission class with `public_reads = True` lets anyone read (no 401 on GET).
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# query parameters that never answer 400 (a bad page or cursor is a 404, a bad ordering ignored)
PAGING_PARAMETERS = {"page", "page_size", "cursor", "ordering", "format"}

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, for people."}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Per-field messages: each field sent (or query parameter) that was refused, "
    "with its messages; `non_field_errors` for what concerns the request as a whole. A nested "
    "object or list holds the errors of its own fields in the same shape.",
    "additionalProperties": {},
    "example": {"enrolled_until": ["The end date cannot be before the start date."]},
}
PATCH_NOTE = (
    "PATCH changes only the fields sent; the fields not sent keep what is stored (nothing is "
    "filled from an earlier read). Two clients changing the same field: the last write wins, "
    "except where a `revision` is taken (KPI values), where a change sent with an older one "
    "answers 409."
)
ANSWERS = {
    "400": ("ValidationError", "The input (body or query parameters) was refused."),
    "401": ("Error", "Not signed in: send a token (`Authorization: Token ...`) or a session."),
    "403": ("Error", "Signed in, but the user's role may not do this."),
    "404": (
        "Error",
        "No such object in the user's scope, whether named in the path, the query or the body "
        "(an object outside it answers 404 too, so its existence does not leak), or a page or "
        "cursor that does not exist.",
    ),
    "409": (
        "Error",
        "A conflict: the object changed since it was read (an older `revision`), or it is "
        "still referenced by other records and cannot be deleted.",
    ),
}


class ErrorAnsweringSchema(AutoSchema):
    """drf-spectacular's AutoSchema, with the error answers each operation can give."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        public = self._is_public_read()
        if public and {} not in operation.get("security", [{}]):
            operation["security"] = [*operation["security"], {}]
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation, public):
            name, description = ANSWERS[code]
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": self._component(name)}},
                },
            )
        if self.method == "PATCH" and "revision" not in operation.get("description", ""):
            described = operation.get("description", "")
            operation["description"] = f"{described}\n\n{PATCH_NOTE}".strip()
        return operation

    def _is_public_read(self) -> bool:
        permissions = getattr(self.view, "permission_classes", [])
        return self.method == "GET" and any(getattr(p, "public_reads", False) for p in permissions)

    def _error_codes(self, operation: dict, public: bool) -> list[str]:
        parameters = operation.get("parameters", [])
        queried = {p["name"] for p in parameters if p["in"] == "query"}
        # an object named by required query parameters (a rollup's key, a report's cluster and
        # period) may not exist in the user's scope, as one named in the path
        names_an_object = any(p.get("required") for p in parameters if p["in"] == "query")
        signed_in = bool(operation.get("security")) and not public
        codes = []
        if "requestBody" in operation or queried - PAGING_PARAMETERS or self.method == "DELETE":
            codes.append("400")  # a DELETE the rules refuse (a published template's part) too
        if signed_in:
            codes.append("401")
        if signed_in and self.method in WRITES:
            codes.append("403")
        # a body may name objects (a cluster, a KPI...) too: one outside the scope answers 404
        named = "{" in self.path or names_an_object or "requestBody" in operation
        if named or queried & {"page", "cursor"}:
            codes.append("404")
        if self.method == "DELETE" or (
            self.method in WRITES and getattr(self.view, "may_conflict", False)
        ):
            codes.append("409")
        return codes

    def _component(self, name: str) -> dict:
        schema = VALIDATION_ERROR if name == "ValidationError" else ERROR
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref
