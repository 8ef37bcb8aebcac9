from django.utils.functional import Promise


class ApplicationError(Exception):
    """A broken business rule. `code` is machine-readable and stable (clients act on it),
    `message` is translated for the person who caused it, `status` is the HTTP status the API
    answers with (400 for bad input, 403 not allowed, 404 not found, 409 conflicting state)."""

    def __init__(
        self, code: str, message: str | Promise, *, status: int = 400, extra: dict | None = None
    ):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra or {}

    def as_dict(self) -> dict:
        return {"status": "error", "reason": self.code, "detail": str(self.message), **self.extra}
