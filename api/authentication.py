"""API authentication: named bearer tokens (hashed at rest) and the web's own
session. Both answer 401 with a WWW-Authenticate header when credentials fail."""

from rest_framework import authentication, exceptions

from core.users.services import token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, raw = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        found = token_authenticate(raw.strip())
        if found is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return found

    def authenticate_header(self, request):
        return self.keyword


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """Session auth for the web's own calls (CSRF enforced on unsafe methods)."""


from . import schema  # noqa: E402,F401  (registers the OpenAPI descriptions above)
