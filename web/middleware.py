"""Language: the user's choice (cookie or profile), else the tenant default,
active for one request only."""

from django.conf import settings
from django.utils import translation
from django.middleware.locale import LocaleMiddleware


class TenantLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        tenant = getattr(request, "tenant", None)
        supported = dict(settings.LANGUAGES)
        if chosen not in supported:
            chosen = getattr(tenant, "language", None) if tenant is not None else None
        if chosen not in supported:
            chosen = translation.get_language_from_request(request)
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        """Set Content-Language, then leave the thread in the default
        language: the next request (or test) on this thread starts clean."""
        response = super().process_response(request, response)
        translation.deactivate()
        return response
