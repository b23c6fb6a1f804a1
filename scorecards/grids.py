"""The grids of the plan's pages: targets (KPIs x periods of a year) and a cluster's
baselines (KPIs x year and value), each one form whose cells are named by KPI and period,
so that one POST saves them all through one service call."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from scorecards.models import KPI, Baseline, Period
from scorecards.services import BaselineCell, TargetCell

VALUE = {"max_digits": 20, "decimal_places": 4, "required": False, "localize": True}


def plain(value: Decimal | None) -> Decimal | None:
    """24.0000 shown as 24, 1.5000 as 1.5 (never 1E+2)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _number_input() -> forms.TextInput:
    # text, not type=number: a localised decimal ("1,5" in Spanish) is accepted as typed
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class TargetGridForm(forms.Form):
    """One input per KPI and period (annual KPIs: the year only); a cleared input removes
    the target."""

    def __init__(self, *args, kpis: list[KPI], periods: list[Period], targets, **kwargs):
        super().__init__(*args, **kwargs)
        values = {(t.kpi_id, t.period_id): t.value for t in targets}
        self._periods = periods
        self._cells: dict[str, tuple[KPI, Period]] = {}
        self._layout: list[tuple[KPI, list[str | None]]] = []
        for kpi in kpis:
            names: list[str | None] = []
            for period in periods:
                if period.is_quarter and kpi.frequency == KPI.Frequency.ANNUAL:
                    names.append(None)
                    continue
                name = f"t-{kpi.pk}-{period.pk}"
                self.fields[name] = forms.DecimalField(
                    **VALUE,
                    label=f"{kpi.name}, {period.label}",
                    initial=plain(values.get((kpi.pk, period.pk))),
                    widget=_number_input(),
                )
                self._cells[name] = (kpi, period)
                names.append(name)
            self._layout.append((kpi, names))

    @property
    def rows(self):
        """[(kpi, [(period, bound field or None), ...]), ...] in the grid's order."""
        return [
            (kpi, [(p, self[n] if n else None) for p, n in zip(self._periods, names, strict=True)])
            for kpi, names in self._layout
        ]

    def cells(self) -> list[TargetCell]:
        return [
            TargetCell(kpi, period, self.cleaned_data[name])
            for name, (kpi, period) in self._cells.items()
        ]

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """The service names a cell "<kpi id>-<period id>": its input here is t-<that>."""
        for key, messages in errors.items():
            name = f"t-{key}"
            self.add_error(name if name in self.fields else None, messages)


class BaselineGridForm(forms.Form):
    """Per KPI of a cluster's scorecard: the baseline year and value (numerator and
    denominator for ratio KPIs), and its source; a row left empty sets nothing."""

    def __init__(self, *args, kpis: list[KPI], baselines: list[Baseline], **kwargs):
        super().__init__(*args, **kwargs)
        existing = {b.kpi_id: b for b in baselines}
        self._layout: list[tuple[KPI, list[str]]] = []
        for kpi in kpis:
            baseline = existing.get(kpi.pk)
            prefix = f"b-{kpi.pk}"
            parts = ["numerator", "denominator"] if kpi.is_ratio else ["value"]
            names = [f"{prefix}-year"] + [f"{prefix}-{part}" for part in parts]
            self.fields[f"{prefix}-year"] = forms.IntegerField(
                required=False,
                min_value=1900,
                max_value=2200,
                label=_("%(kpi)s: baseline year") % {"kpi": kpi.name},
                initial=baseline.year if baseline else None,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
            for part in parts:
                label = {
                    "value": _("%(kpi)s: baseline value"),
                    "numerator": _("%(kpi)s: baseline numerator"),
                    "denominator": _("%(kpi)s: baseline denominator"),
                }[part] % {"kpi": kpi.name}
                self.fields[f"{prefix}-{part}"] = forms.DecimalField(
                    **VALUE,
                    label=label,
                    initial=plain(getattr(baseline, part)) if baseline else None,
                    widget=_number_input(),
                )
            self.fields[f"{prefix}-note"] = forms.CharField(
                required=False,
                max_length=300,
                label=_("%(kpi)s: source or note") % {"kpi": kpi.name},
                initial=baseline.note if baseline else "",
            )
            names.append(f"{prefix}-note")
            self._layout.append((kpi, names))

    @property
    def rows(self):
        return [(kpi, [self[n] for n in names]) for kpi, names in self._layout]

    def cells(self) -> list[BaselineCell]:
        """Rows where something was typed (or that held a baseline before)."""
        cells = []
        for kpi, names in self._layout:
            data = {name.rsplit("-", 1)[1]: self.cleaned_data[name] for name in names}
            if any(v not in (None, "") for v in data.values()) or self._had_baseline(names):
                cells.append(BaselineCell(kpi=kpi, data=data))
        return cells

    def _had_baseline(self, names: list[str]) -> bool:
        return any(self.fields[name].initial not in (None, "") for name in names)

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """The service names a field "<kpi id>-<field>": its input here is b-<that>."""
        for key, messages in errors.items():
            name = f"b-{key}"
            self.add_error(name if name in self.fields else None, messages)
