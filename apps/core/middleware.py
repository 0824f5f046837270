"""Response headers every page carries: the Content-Security-Policy, the Permissions-Policy and, for a signed-in
user, no caching anywhere (pages show personal data).

Django's SecurityMiddleware already sets X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy
and, behind HTTPS, Strict-Transport-Security; XFrameOptionsMiddleware sets X-Frame-Options. This middleware sits
right after SecurityMiddleware, outside WhiteNoise: static files never reach AuthenticationMiddleware, so they
have no ``request.user`` and keep WhiteNoise's long cache headers.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def content_security_policy(directives: dict[str, list[str]]) -> str:
    """The header's value: ``default-src 'self'; img-src 'self' data:; ...``."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = content_security_policy(settings.CONTENT_SECURITY_POLICY)
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)  # absent when WhiteNoise answered (a static file)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, ..., private
            response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches and proxies
        return response
