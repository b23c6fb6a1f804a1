"""`{% filter_bar filterset %}`: a list page's filters, drawn from its django-filter FilterSet."""

from django import template
from django.utils.http import urlencode

from core.filters import is_filtered

register = template.Library()


@register.inclusion_tag("_filter_bar.html", takes_context=True)
def filter_bar(context, filterset, *, carry: str = "", css: str = "", action: str = ""):
    """The form of `filterset` with its errors, a submit button and a reset link.

    `carry` names query parameters that are not filters but choose what the page shows (the
    directory's `show` tab): the form sends them again and the reset link keeps them.
    `action`: the list's address, when the page is drawn at another one (a refused download).
    """
    request = context["request"]
    path = action or request.path
    carried = [(name, request.GET[name]) for name in carry.split() if request.GET.get(name)]
    form = filterset.form
    unseen_errors = [
        (field.label, message) for field in form.hidden_fields() for message in field.errors
    ]
    unseen_errors += [(None, message) for message in form.non_field_errors()]
    return {
        "form": form,
        "css": css,
        "carried": carried,
        "action": path,
        "reset_url": f"{path}?{urlencode(carried)}" if carried else path,
        "filtered": is_filtered(filterset),
        "unseen_errors": unseen_errors,
    }
