"""/open-data/: every open dataset, its files and when it last changed."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from public.opendata.datasets import LICENCE
from public.opendata.formats import FORMATS
from public.opendata.selectors import open_datasets


@require_GET
def open_data(request):
    context = {"datasets": open_datasets(), "licence": LICENCE, "formats": FORMATS}
    return render(request, "public/opendata/index.html", context)
