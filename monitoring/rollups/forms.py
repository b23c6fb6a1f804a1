"""The rollup list's filters: KPI, level, unit and period, offered within the reader's scope."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scopes import rollup_units
from monitoring.rollups.figures import LEVEL_LABELS
from monitoring.rollups.selectors import LEVEL_ORDER, UNIT_MODELS
from scorecards.models import KPI, Level, Period


class KPIChoiceField(forms.ModelChoiceField):
    """KPIs offered by their name (the code is shown beside each row of the list)."""

    def label_from_instance(self, obj):
        return obj.name


class RollupFilterForm(forms.Form):
    """KPI, level, unit and period of the list; the choices are the user's scope only.

    An invalid choice is dropped (and shown as the field's error); the others still apply.
    """

    kpi = KPIChoiceField(
        label=gettext_lazy("KPI"),
        queryset=KPI.objects.filter(cluster__isnull=True).order_by("code"),
        required=False,
        empty_label=gettext_lazy("All KPIs"),
    )
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False)
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Unit"), coerce=int, required=False, empty_value=None
    )
    period = forms.ModelChoiceField(
        label=gettext_lazy("Period"), queryset=Period.objects.all(), required=False
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.units_by_level = rollup_units(user)
        levels = [level for level in LEVEL_ORDER if level in self.units_by_level]
        self.fields["level"].choices = [("", _("All levels"))] + [
            (level, LEVEL_LABELS[level]) for level in levels
        ]
        level = data.get("level", "")
        if levels == [Level.CLUSTER] and not level:
            # BSO staff read their clusters' own values only: the list opens on them
            data = data.copy()
            data["level"] = level = Level.CLUSTER
            self.data = data
        unit_field = self.fields["unit"]
        if level in levels and level != Level.GLOBAL:
            unit_field.choices = [("", _("All units"))] + [
                (unit.pk, unit.name) for unit in self._units(level)
            ]
        else:
            unit_field.choices = [("", _("All units"))]
            unit_field.disabled = True
            unit_field.help_text = "" if level == Level.GLOBAL else _("Choose a level first.")
        self.is_valid()

    @property
    def cluster_level_only(self) -> bool:
        """The reader may see cluster values and no total (BSO staff)."""
        return list(self.units_by_level) == [Level.CLUSTER]

    def _units(self, level: str) -> QuerySet:
        model = UNIT_MODELS[level]
        units = self.units_by_level[level]
        queryset = model.objects.all() if units is None else model.objects.filter(pk__in=units)
        return queryset.only("pk", "name").order_by("name")

    def filters(self) -> dict:
        """The valid filters on KPI, level and unit, as Rollup field lookups."""
        data = self.cleaned_data
        found = {}
        if data.get("kpi"):
            found["kpi_id"] = data["kpi"].pk
        if data.get("level"):
            found["level"] = data["level"]
            if data.get("unit") is not None:
                found["unit_id"] = data["unit"]
        return found

    def offer_periods(self, periods: list[Period]) -> None:
        """Offer the periods that have rows in the user's scope, marking those without values."""
        self.fields["period"].widget.choices = [("", _("Latest with values"))] + [
            (
                p.pk,
                p.shown_label
                if p.has_values
                else _("%(period)s (no approved values)") % {"period": p.shown_label},
            )
            for p in periods
        ]
