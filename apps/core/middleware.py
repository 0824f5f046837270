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


def _has_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    for params in (request.GET, request.POST if request.method == "POST" else None):
        if params is None:
            continue
        for key, values in params.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    if request.method == "POST":
        return any("\x00" in (upload.name or "") for uploads in request.FILES.lists() for upload in uploads[1])
    return False


class NulCharacterMiddleware:
    """Refuses, once for every view, a request whose path, query or form data holds a NUL character.

    PostgreSQL cannot store or compare text with NUL, so a NUL reaching a query is a 500; no person types one.
    The answer is a 400 page that says what is wrong, in the user's language; nothing is read or written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            from django.shortcuts import render

            return render(request, "400.html", {"reason": "nul"}, status=400)
        return self.get_response(request)
