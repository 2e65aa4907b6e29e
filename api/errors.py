"""Every API error as ``{"error": {"code", "message", "fields"}}``."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, ErrorCode, error_body


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        fields = {}
        for name, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    fields[f"{name}.{sub}"] = msgs
            elif isinstance(value, list):
                fields[name] = [str(v) if not isinstance(v, dict) else str(v) for v in value]
            else:
                fields[name] = [str(value)]
        return fields
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        response = Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(ErrorCode.VALIDATION, "Please correct the highlighted fields.", _flatten(exc.detail))
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        response.status_code = status.HTTP_401_UNAUTHORIZED
        body = error_body(ErrorCode.NOT_AUTHENTICATED, str(exc.detail))
    elif isinstance(exc, exceptions.PermissionDenied):
        body = error_body(ErrorCode.PERMISSION_DENIED, str(exc.detail))
    elif isinstance(exc, exceptions.NotFound):
        body = error_body(ErrorCode.NOT_FOUND, "Not found.")
    elif isinstance(exc, exceptions.MethodNotAllowed):
        body = error_body(ErrorCode.NOT_FOUND, str(exc.detail))
    elif isinstance(exc, exceptions.Throttled):
        body = error_body(ErrorCode.THROTTLED, str(exc.detail))
    elif response.status_code == 409:
        body = error_body(ErrorCode.CONFLICT, str(getattr(exc, "detail", exc)))
    else:
        code = ErrorCode.VALIDATION if response.status_code < 500 else "server_error"
        body = error_body(code, str(getattr(exc, "detail", exc)))
    response.data = body
    return response
