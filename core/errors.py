"""One error type for business rules. The API exception handler and the web
views turn it into the error shape ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from django.http import JsonResponse


class ErrorCode:
    VALIDATION = "validation_error"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    MODULE_DISABLED = "module_disabled"
    CONFLICT = "conflict"
    THROTTLED = "throttled"


STATUS_FOR_CODE = {
    ErrorCode.VALIDATION: 400,
    ErrorCode.NOT_AUTHENTICATED: 401,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.MODULE_DISABLED: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.THROTTLED: 429,
}


class DomainError(Exception):
    """A business rule refused an action. ``fields`` maps field names to messages."""

    def __init__(self, message: str, *, code: str = ErrorCode.VALIDATION, fields: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.fields = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}

    @property
    def status(self) -> int:
        return STATUS_FOR_CODE.get(self.code, 400)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def json_error(code: str, message: str, status: int | None = None, fields: dict | None = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, fields), status=status or STATUS_FOR_CODE.get(code, 400))


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or request.headers.get("Accept", "").startswith("application/json")
