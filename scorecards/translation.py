"""Translated fields (django-modeltranslation): names of templates, perspectives, CSFs, KPIs and
age groups."""

from modeltranslation.translator import TranslationOptions, register

from scorecards.models import CSF, KPI, AgeGroup, Perspective, Template


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


@register(AgeGroup)
class AgeGroupTranslation(TranslationOptions):
    fields = ("name",)
