"""The public results pages and their open-data downloads: no sign-in, published data only.

Each page kind names its loader (public.pages.selectors), its tables
(public.opendata.datasets) and its template; a code that is not public answers 404.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from public.areas.services import publishable_countries, publishable_regions
from public.opendata import datasets
from public.opendata.formats import FORMATS, table_response
from public.pages import selectors
from public.pages.results import MIN_GROUP

KINDS = {
    "clusters": (selectors.cluster_page, datasets.cluster_tables, "public/pages/cluster.html"),
    "countries": (selectors.country_page, datasets.area_tables, "public/pages/area.html"),
    "regions": (selectors.region_page, datasets.area_tables, "public/pages/area.html"),
    "programs": (selectors.program_page, datasets.area_tables, "public/pages/program.html"),
}
INDEX_PAGE_SIZE = 200


@require_GET
def index(request):
    """The published clusters, searched by name, sector, locality or country."""
    query = request.GET.get("q", "")[:100]
    clusters = list(selectors.cluster_index(query)[: INDEX_PAGE_SIZE + 1])
    context = {
        "query": query,
        "clusters": clusters[:INDEX_PAGE_SIZE],
        "more": len(clusters) > INDEX_PAGE_SIZE,
        "countries": selectors.published_countries(),
        "regions": selectors.published_regions(),
        "programs": selectors.public_programs().order_by("name"),
    }
    if request.user.is_authenticated:
        # where a ministry or a regional body switches its own page on and off
        context["own_countries"] = publishable_countries(request.user)[:20]
        context["own_regions"] = publishable_regions(request.user)[:20]
    return render(request, "public/pages/index.html", context)


@require_GET
def index_data(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    (table,) = datasets.index_tables(request.GET.get("q", "")[:100])
    return table_response(table, dataset="clusters", fmt=fmt)


def _page(kind: str, code: str):
    load, tables, template = KINDS[kind]
    page = load(code)
    return page, tables, template


@require_GET
def page(request, kind: str, code: str):
    data, tables, template = _page(kind, code)
    context = {
        "page": data,
        "kind": kind,
        "code": code,
        "tables": [table.name for table in tables(data)],
        "min_group": MIN_GROUP,
        "formats": FORMATS,
    }
    return render(request, template, context)


@require_GET
def page_data(request, kind: str, code: str, table: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    data, tables, _template = _page(kind, code)
    found = {t.name: t for t in tables(data)}
    if table not in found:
        raise Http404
    return table_response(found[table], dataset=f"{kind}/{code}/{table}", fmt=fmt)
