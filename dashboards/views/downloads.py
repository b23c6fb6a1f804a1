"""The download step every dashboard shares: `?format=csv|xlsx` (and `?table=` on pages with
several tables) to a CSV or XLSX response built from a dashboards.tables.Table."""

from django.http import Http404
from django.utils.translation import gettext as _

from core.exports import FORMATS, export_response


def wants_download(request) -> bool:
    return request.GET.get("format") in FORMATS


def download_response(request, available: dict, filename: str):
    """The download asked for by `?format=` (and `?table=`), or None to render the page.
    `available` maps table names to functions building a tables.Table (built only if asked)."""
    fmt = request.GET.get("format")
    if fmt not in FORMATS:
        return None
    name = request.GET.get("table") or next(iter(available))
    if name not in available:
        raise Http404(_("No such table."))
    table = available[name]()
    return export_response(
        headers=table.headers, rows=table.rows, filename=f"{filename}-{name}", fmt=fmt
    )
