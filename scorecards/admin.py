"""Admin for templates (frozen once published), KPIs, periods, baselines and targets."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.admin import HistoryAdmin, MarksRollupsStaleAdmin
from core.staleness import mark_stale
from scorecards import services
from scorecards.models import (
    CSF,
    KPI,
    AgeGroup,
    Baseline,
    ClusterScorecard,
    ComponentKPI,
    Period,
    Perspective,
    Target,
    Template,
    TemplateKPI,
)

# The tree of a template version as the admin's inlines write it: through the services the API
# calls (they refuse a frozen version too), never by saving the rows directly.
TREE_FIELDS = [f for f in services.TREE_NODE_FIELDS if f != "name"]  # the translated columns
TREE_WRITES = {
    Perspective: (
        lambda parent, node: services.perspective_create(template=parent, data=_node(node)),
        lambda node: services.perspective_update(perspective=node, data=_node(node)),
    ),
    CSF: (
        lambda parent, node: services.csf_create(perspective=parent, data=_node(node)),
        lambda node: services.csf_update(csf=node, data=_node(node)),
    ),
    TemplateKPI: (
        lambda parent, node: services.template_kpi_place(
            csf=parent, kpi=node.kpi, data=_node(node, services.PLACEMENT_FIELDS)
        ),
        lambda node: services.template_kpi_update(
            placement=node, data=_node(node, services.PLACEMENT_FIELDS)
        ),
    ),
}


def _node(node, fields=TREE_FIELDS) -> dict:
    return {name: getattr(node, name) for name in fields}


class FrozenTemplateMixin:
    """A published template is changed by publishing a new version, never in place; a draft's
    tree (perspectives, CSFs, placed KPIs) is written by the services, as from the API."""

    def save_formset(self, request, form, formset, change):
        writes = TREE_WRITES.get(formset.model)
        if writes is None:
            return super().save_formset(request, form, formset, change)
        create, update = writes
        nodes = formset.save(commit=False)
        for node in formset.deleted_objects:
            if isinstance(node, TemplateKPI):
                services.template_kpi_remove(placement=node)
            else:
                node.delete()  # refused by has_delete_permission on a frozen version
        for node in nodes:
            if node.pk is None:
                create(form.instance, node)
            else:
                update(node)
        return None

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

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and services.kpi_definition_is_fixed(obj):
            return services.KPI_DEFINITION_FIELDS
        return []

    def save_model(self, request, obj, form, change):
        if obj.cluster_id is not None:  # a cluster's own KPI: corrected here as it stands
            return super().save_model(request, obj, form, change)
        # a core KPI through the services, as the API writes it
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            services.kpi_update(kpi=obj, data=changed)
        else:
            obj.pk = services.kpi_create(data=form.cleaned_data).pk
        obj.refresh_from_db()
        mark_stale(reason=f"admin changed KPI {obj.pk}")
        return None


@admin.register(AgeGroup)
class AgeGroupAdmin(TranslationAdmin):
    """The age bands values may be split by: retire one (not in use) rather than delete it."""

    list_display = ["name", "code", "min_age", "max_age", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]


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


@admin.register(ComponentKPI)
class ComponentKPIAdmin(admin.ModelAdmin):
    """Which core KPIs measure a program component's outputs (saved through the service)."""

    list_display = ["component", "kpi"]
    list_select_related = ["component__program", "kpi"]
    search_fields = ["component__name", "component__program__name", "kpi__code"]
    autocomplete_fields = ["kpi"]
    raw_id_fields = ["component"]

    def save_model(self, request, obj, form, change):
        if change:
            stored = ComponentKPI.objects.get(pk=obj.pk)
            services.component_kpi_unlink(link=stored)
        form.instance = services.component_kpi_link(component=obj.component, kpi=obj.kpi)
        obj.pk = form.instance.pk
