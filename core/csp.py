"""The Content-Security-Policy header, from settings.CONTENT_SECURITY_POLICY, on every answer.

Django 5.2 has none built in (6.0 has); the policy is one fixed header, since every page loads
its scripts and styles from our own static files (no inline code, no nonces to mint), so a few
lines here do what a dependency would."""

from django.conf import settings


def header_value(policy: dict[str, list[str]]) -> str:
    """`{"default-src": ["'self'"], ...}` -> "default-src 'self'; ..." (a directive without
    sources, like upgrade-insecure-requests, stands alone)."""
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Sets the header unless the view set its own (none does today)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = header_value(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.value)
        return response
