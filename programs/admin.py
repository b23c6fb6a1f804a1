"""Admin for programs: their money (components, disbursements), enrolled clusters and strategic
committee as inlines; status moves only through the transition service (admin actions)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusters.models import MEMBER_FIELDS
from core.admin import HistoryAdmin, MarksRollupsStaleAdmin
from programs import services
from programs.models import (
    Component,
    Disbursement,
    Enrolment,
    ExchangeRate,
    Program,
    StrategicCommitteeMember,
)
from programs.rates import services as rate_services


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    autocomplete_fields = ["cluster"]


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    fields = ["name", "budget", "description"]


class DisbursementInline(admin.TabularInline):
    """Validated by Disbursement.clean(): same program's component, positive, within the
    funder amount, while the program is approved or in execution."""

    model = Disbursement
    extra = 0
    fields = ["date", "amount", "component", "reference"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "component":
            program_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Component.objects.filter(program_id=program_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StrategicCommitteeMemberInline(admin.TabularInline):
    model = StrategicCommitteeMember
    extra = 0
    fields = MEMBER_FIELDS


def _transition_action(to: str, label):
    def run(modeladmin, request, queryset):
        for program in queryset:
            try:
                services.program_transition(program=program, to=to)
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{program}: {' '.join(error.messages)}", messages.ERROR
                )

    run.__name__ = f"make_{to}"
    return admin.action(description=label)(run)


@admin.register(Program)
class ProgramAdmin(MarksRollupsStaleAdmin, HistoryAdmin):
    list_display = ["name", "code", "funder", "status", "currency", "funder_amount"]
    list_filter = ["status", "typology", "currency", "countries"]
    search_fields = ["name", "code", "funder"]
    filter_horizontal = ["countries"]
    readonly_fields = ["status"]
    inlines = [
        ComponentInline,
        DisbursementInline,
        EnrolmentInline,
        StrategicCommitteeMemberInline,
    ]
    actions = [
        _transition_action(Program.Status.APPROVED, _("Approve (today)")),
        _transition_action(Program.Status.IN_EXECUTION, _("Start execution")),
        _transition_action(Program.Status.CLOSED, _("Close (today)")),
        _transition_action(Program.Status.CANCELLED, _("Cancel (today)")),
    ]

    def get_inlines(self, request, obj):
        # disbursements are checked against the saved program (status, funder amount)
        if obj is None:
            return [i for i in self.inlines if i is not DisbursementInline]
        return self.inlines

    def save_formset(self, request, form, formset, change):
        if formset.model is not Enrolment:
            return super().save_formset(request, form, formset, change)
        # enrolments through the services, as the API writes them (they mark the rollups stale)
        changed = formset.save(commit=False)
        for enrolment in formset.deleted_objects:
            services.enrolment_delete(enrolment=enrolment)
        for enrolment in changed:
            data = {name: getattr(enrolment, name) for name in services.ENROLMENT_FIELDS}
            if enrolment.pk is None:
                services.enrolment_create(program=form.instance, data=data)
            else:
                services.enrolment_update(enrolment=enrolment, data=data)
        return None


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """One rate at a time (the page imports a spreadsheet of them); saved through the services,
    so the admin keeps the same rules as the API and the import."""

    list_display = ["base_currency", "quote_currency", "date", "rate", "source"]
    list_filter = ["base_currency", "quote_currency"]
    search_fields = ["base_currency", "quote_currency", "source"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in rate_services.RATE_FIELDS}
        if change:  # the form already set the new values on obj: compare with the stored row
            stored = ExchangeRate.objects.get(pk=obj.pk)
            rate_services.exchange_rate_update(rate=stored, data=data)
        else:
            form.instance = rate_services.exchange_rate_create(data=data)
            obj.pk = form.instance.pk
