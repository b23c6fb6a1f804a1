"""Admin for templates (frozen once published), KPIs, periods, baselines and targets."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.admin import HistoryAdmin, MarksRollupsStaleAdmin
from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
    Period,
    Perspective,
    Target,
    Template,
    TemplateKPI,
)


class FrozenTemplateMixin:
    """A published template is changed by publishing a new version, never in place."""

    def _template_of(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        template = self._template_of(obj) if obj else None
        if template is not None and template.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        template = self._template_of(obj) if obj else None
        if template is not None and template.is_frozen:
            return False
        return super().has_delete_permission(request, obj)


class PerspectiveInline(TranslationTabularInline):
    model = Perspective
    extra = 0
    show_change_link = True


@admin.register(Template)
class TemplateAdmin(FrozenTemplateMixin, TranslationAdmin):
    list_display = ["name", "code", "version", "status", "green_threshold", "amber_threshold"]
    list_filter = ["status", "code"]
    search_fields = ["name", "code"]
    readonly_fields = ["published_at"]
    inlines = [PerspectiveInline]


class CSFInline(TranslationTabularInline):
    model = CSF
    extra = 0
    show_change_link = True


@admin.register(Perspective)
class PerspectiveAdmin(FrozenTemplateMixin, TranslationAdmin):
    list_display = ["name", "template", "order"]
    list_filter = ["template"]
    list_select_related = ["template"]
    inlines = [CSFInline]

    def _template_of(self, obj):
        return obj.template


class TemplateKPIInline(admin.TabularInline):
    model = TemplateKPI
    extra = 0
    autocomplete_fields = ["kpi"]


@admin.register(CSF)
class CSFAdmin(FrozenTemplateMixin, TranslationAdmin):
    list_display = ["name", "perspective", "order"]
    list_filter = ["perspective__template"]
    list_select_related = ["perspective"]
    inlines = [TemplateKPIInline]

    def _template_of(self, obj):
        return obj.perspective.template


@admin.register(KPI)
class KPIAdmin(MarksRollupsStaleAdmin, TranslationAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "direction",
        "aggregation",
        "time_aggregation",
        "status",
    ]
    list_filter = ["unit", "aggregation", "time_aggregation", "frequency", "status", "direction"]
    search_fields = ["code", "name"]
    list_select_related = ["cluster"]
    raw_id_fields = ["cluster", "proposed_by"]
    # Once values exist the definition is fixed: a different definition is a new KPI.
    definition = [
        "code",
        "unit",
        "currency",
        "direction",
        "aggregation",
        "time_aggregation",
        "frequency",
        "by_sex",
        "scale",
        "cluster",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.measurements.exists():
            return self.definition
        return []


@admin.register(ClusterScorecard)
class ClusterScorecardAdmin(MarksRollupsStaleAdmin):
    list_display = ["cluster", "template", "adopted_on", "until"]
    list_filter = ["template"]
    search_fields = ["cluster__name"]
    list_select_related = ["cluster", "template"]


@admin.register(Period)
class PeriodAdmin(MarksRollupsStaleAdmin):
    list_display = ["label", "kind", "starts_on", "ends_on", "deadline"]
    list_filter = ["kind", "year"]


@admin.register(Baseline)
class BaselineAdmin(MarksRollupsStaleAdmin, HistoryAdmin):
    list_display = ["cluster", "kpi", "year", "value", "numerator", "denominator"]
    search_fields = ["cluster__name", "kpi__code"]
    list_select_related = ["cluster", "kpi"]
    raw_id_fields = ["cluster", "kpi"]


@admin.register(Target)
class TargetAdmin(MarksRollupsStaleAdmin, HistoryAdmin):
    list_display = ["kpi", "period", "level", "cluster", "country", "region", "program", "value"]
    list_filter = ["level", "period"]
    search_fields = ["kpi__code"]
    list_select_related = ["kpi", "period", "cluster", "country", "region", "program"]
    raw_id_fields = ["kpi", "cluster", "set_by"]
