"""Error answers that know the API: under /api/ a 404 or a 500 is JSON like every other API
error (DRF's `{"detail": ...}`), not the site's HTML page. A URL the API's router does not
match (`/api/v1/clusters/0.25/`) never reaches DRF, so DRF's own handler cannot say it."""

from django.http import JsonResponse
from django.views import defaults
from rest_framework.exceptions import APIException, NotFound

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": str(APIException.default_detail)}, status=500)
    return defaults.server_error(request)
