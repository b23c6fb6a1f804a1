"""`{{ kpi|public_method:level }}`: how a public number is made (public.pages.results.method)."""

from django import template

from public.pages.results import method

register = template.Library()


@register.filter
def public_method(kpi, level: str) -> str:
    return method(kpi, level=level)
