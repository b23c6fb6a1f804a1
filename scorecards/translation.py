"""Translated fields (django-modeltranslation): names of templates, perspectives, CSFs, KPIs."""

from modeltranslation.translator import TranslationOptions, register

from scorecards.models import CSF, KPI, Perspective, Template


@register(Template)
class TemplateTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Perspective)
class PerspectiveTranslation(TranslationOptions):
    fields = ("name",)


@register(CSF)
class CSFTranslation(TranslationOptions):
    fields = ("name",)


@register(KPI)
class KPITranslation(TranslationOptions):
    fields = ("name", "description")
