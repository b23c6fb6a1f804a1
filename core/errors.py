"""Domain errors that services raise and the API and pages translate into answers."""


class ConflictError(Exception):
    """The object changed since the user loaded it; their save was not applied (HTTP 409)."""


class PermissionDenied(Exception):
    """The user's role may not do this to an object they can see (HTTP 403)."""
