"""The pages where a ministry publishes its country's results page and a regional body its
region's (administrators too); any other country or region answers 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.history.views import history_page
from public.areas import services


class AreaPublicationForm(forms.Form):
    published = forms.BooleanField(
        label=gettext_lazy("Publish the results page"),
        required=False,
        help_text=gettext_lazy(
            "The page shows the approved values of published clusters only; a group of fewer "
            "than 3 clusters is never shown."
        ),
    )


def _area(request, kind: str, pk: int):
    if kind == "country":
        return get_object_or_404(services.publishable_countries(request.user), pk=pk)
    return get_object_or_404(services.publishable_regions(request.user), pk=pk)


@login_required
def area_publication(request, kind: str, pk: int):
    """Switch the national (kind "country") or regional (kind "region") page on or off."""
    area = _area(request, kind, pk)
    publication = services.area_publication_of(**{kind: area})
    initial = {"published": bool(publication and publication.published)}
    data = request.POST if request.method == "POST" else None
    form = AreaPublicationForm(data, initial=initial)
    if form.is_valid():
        published = form.cleaned_data["published"]
        services.area_publication_set(**{kind: area}, published=published, by=request.user)
        if published:
            messages.success(request, _("The results page is published."))
        else:
            messages.success(request, _("The results page is not published."))
        return redirect(f"{kind}-publication", pk=area.pk)
    public_url = reverse(f"public-{kind}", args=[area.code])
    context = {
        "area": area,
        "kind": kind,
        "publication": publication,
        "form": form,
        "public_url": public_url,
    }
    return render(request, "public/areas/publication.html", context)


@login_required
def area_publication_history(request, kind: str, pk: int):
    """Who switched the page on and off, and when."""
    area = _area(request, kind, pk)
    publication = services.area_publication_of(**{kind: area})
    if publication is None:
        raise Http404
    return history_page(
        request, publication, back_url=reverse(f"{kind}-publication", args=[area.pk])
    )
