"""The report page's value inputs: one row per KPI, read from the POST and shown back on errors.

Not a Django Form: which inputs a KPI has depends on its unit, and every check lives in
monitoring.values.clean_values (reached through the service). This only names the inputs,
carries the user's raw text back into them, and puts the service's "<kpi id>.<field>" errors
beside the right input.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from monitoring.models import Flag, Measurement, Report
from monitoring.reports.scores import ScorecardScore, kpi_actual
from scorecards.models import KPI, AgeGroup, Dimension, categories


class Kind:
    RATIO = "ratio"
    SEX = "sex"
    YES_NO = "yes_no"
    COUNT = "count"
    NUMBER = "number"


FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.RATIO: ("numerator", "denominator"),
    Kind.SEX: ("value_women", "value_men", "value"),
    Kind.YES_NO: ("value",),
    Kind.COUNT: ("value",),
    Kind.NUMBER: ("value",),
}

LABELS = {
    "numerator": _("Numerator"),
    "denominator": _("Denominator"),
    "value_women": _("Women"),
    "value_men": _("Men"),
}


def kpi_kind(kpi: KPI) -> str:
    if kpi.is_ratio:
        return Kind.RATIO
    if kpi.by_sex:
        return Kind.SEX
    if kpi.unit == KPI.Unit.YES_NO:
        return Kind.YES_NO
    if kpi.unit == KPI.Unit.COUNT:
        return Kind.COUNT
    return Kind.NUMBER


def plain(number: Decimal | None) -> str:
    """A stored number as an input shows it: '6', '2.5', '100' (no exponent, no padding)."""
    if number is None:
        return ""
    return format(number.normalize(), "f")


def input_name(kpi_id: int, name: str) -> str:
    return f"kpi-{kpi_id}-{name}"


def split_input_name(kpi_id: int, dimension: str, category: str) -> str:
    return input_name(kpi_id, f"split-{dimension}-{category}")


def split_categories(dimension: str, age_groups: list[AgeGroup]) -> list[tuple]:
    return categories(dimension, age_groups=age_groups)


EXPLANATION_INPUT = re.compile(r"^kpi-(\d+)-explain-([a-z]+)$")


@dataclass
class FlagRow:
    """A flag beside its value, with the explanation input (the POST's text when shown back)."""

    flag: Flag
    input_name: str
    explanation: str

    @property
    def input_id(self) -> str:
        return f"id-{self.input_name}"


@dataclass
class Field:
    name: str
    input_name: str
    label: str
    value: str
    errors: list[str]
    whole: bool = False  # counts: whole numbers, zero or more
    not_negative: bool = False

    @property
    def input_id(self) -> str:
        return f"id-{self.input_name}"


@dataclass
class SplitGroup:
    """The inputs of one dimension's parts (age groups, firm sizes, ownership) of a value."""

    dimension: str
    legend: str
    fields: list[Field]

    @property
    def given(self) -> list[Field]:
        return [f for f in self.fields if f.value != ""]


@dataclass
class Row:
    kpi: KPI
    own: bool
    kind: str
    measurement: Measurement | None
    actual: Decimal | None  # the comparable number: the ratio for ratio KPIs
    target: Decimal | None
    previous: Measurement | None
    previous_actual: Decimal | None
    fields: list[Field]
    note: Field | None
    revision: int | str | None  # str: as the POST being shown back carried it
    errors: list[str] = field(default_factory=list)
    flags: list[FlagRow] = field(default_factory=list)
    split_groups: list[SplitGroup] = field(default_factory=list)

    @property
    def split_fields(self) -> list[Field]:
        return [f for group in self.split_groups for f in group.fields]

    @property
    def has_errors(self) -> bool:
        return (
            bool(self.errors)
            or any(f.errors for f in [*self.fields, *self.split_fields])
            or bool(self.note.errors)
        )


@dataclass
class Group:
    """A perspective (or "other KPIs") and its CSFs, each with its rows."""

    name: str
    csfs: list[tuple[str, list[Row]]]


class ReportEntry:
    """The inputs of a report's page, grouped by perspective and CSF like its scorecard.

    `data` is the POST being shown back (None: show the stored values); `errors` the
    service's ValidationError dict.
    """

    def __init__(
        self,
        *,
        report: Report,
        card: ScorecardScore | None,
        previous: dict[int, Measurement],
        data=None,
        errors: dict[str, list[str]] | None = None,
    ):
        self.report = report
        self.data = data
        self.errors = errors or {}
        self.previous = previous
        self.measurements = {m.kpi_id: m for m in report.measurements.all()}
        self.age_groups = (
            list(AgeGroup.objects.filter(active=True))
            if any(m.kpi.by_age for m in self.measurements.values())
            else []
        )
        self.groups = self._groups(card)

    def _groups(self, card: ScorecardScore | None) -> list[Group]:
        groups, placed = [], set()
        for perspective in card.perspectives if card else []:
            csfs = []
            for csf in perspective.csfs:
                rows = [self._row(k.kpi, k.own, k.target) for k in csf.kpis]
                placed.update(k.kpi.pk for k in csf.kpis)
                if rows:
                    csfs.append((csf.csf.name, rows))
            if csfs:
                groups.append(Group(perspective.perspective.name, csfs))
        # Values of the report that its scorecard no longer places (or no scorecard at all).
        others = [
            self._row(m.kpi, not m.kpi.is_core, None)
            for kpi_id, m in self.measurements.items()
            if kpi_id not in placed
        ]
        if others:
            groups.append(Group(str(_("Other KPIs of this report")), [("", others)]))
        return groups

    def _raw(self, kpi_id: int, name: str, stored: str) -> str:
        if self.data is not None and input_name(kpi_id, "revision") in self.data:
            return self.data.get(input_name(kpi_id, name), "")
        return stored

    def _row(self, kpi: KPI, own: bool, target: Decimal | None) -> Row:
        measurement = self.measurements.get(kpi.pk)
        kind = kpi_kind(kpi)
        fields, note = [], None
        if measurement is not None:
            for name in FIELDS_BY_KIND[kind]:
                fields.append(
                    Field(
                        name=name,
                        input_name=input_name(kpi.pk, name),
                        label=self._label(kind, name),
                        value=self._raw(kpi.pk, name, plain(getattr(measurement, name))),
                        errors=self.errors.get(f"{kpi.pk}.{name}", []),
                        whole=kind in (Kind.COUNT, Kind.SEX),
                        not_negative=kind in (Kind.COUNT, Kind.SEX, Kind.RATIO),
                    )
                )
            note = Field(
                name="note",
                input_name=input_name(kpi.pk, "note"),
                label=str(_("Note")),
                value=self._raw(kpi.pk, "note", measurement.note),
                errors=self.errors.get(f"{kpi.pk}.note", []),
            )
        previous = self.previous.get(kpi.pk)
        return Row(
            kpi=kpi,
            own=own,
            kind=kind,
            measurement=measurement,
            actual=kpi_actual(kpi, measurement),
            target=target,
            previous=previous,
            previous_actual=kpi_actual(kpi, previous),
            fields=fields,
            note=note or Field("note", "", "", "", []),
            revision=self._revision(kpi.pk, measurement),
            errors=self.errors.get(str(kpi.pk), []),
            flags=self._flags(kpi.pk, measurement),
            split_groups=self._split_groups(kpi, measurement),
        )

    def _split_groups(self, kpi: KPI, measurement: Measurement | None) -> list[SplitGroup]:
        """A group of inputs per dimension the KPI is split by, sex aside (its own inputs)."""
        if measurement is None:
            return []
        groups = []
        for dimension in kpi.split_dimensions:
            if dimension == Dimension.SEX:
                continue
            stored = measurement.parts.get(dimension, {})
            fields = []
            for category, label in split_categories(dimension, self.age_groups):
                name = f"splits.{dimension}.{category}"
                fields.append(
                    Field(
                        name=name,
                        input_name=split_input_name(kpi.pk, dimension, category),
                        label=str(label),
                        value=self._raw(
                            kpi.pk, f"split-{dimension}-{category}", plain(stored.get(category))
                        ),
                        errors=self.errors.get(f"{kpi.pk}.{name}", []),
                        whole=True,
                        not_negative=True,
                    )
                )
            groups.append(SplitGroup(dimension, str(Dimension(dimension).label), fields))
        return groups

    def _flags(self, kpi_id: int, measurement: Measurement | None) -> list[FlagRow]:
        if measurement is None:
            return []
        rows = []
        for flag in measurement.flags.all():
            name = input_name(kpi_id, f"explain-{flag.rule}")
            rows.append(
                FlagRow(flag, name, self._raw(kpi_id, f"explain-{flag.rule}", flag.explanation))
            )
        return rows

    def _revision(self, kpi_id: int, measurement: Measurement | None) -> int | None:
        """The revision the user started from: kept from the POST when showing it back."""
        if measurement is None:
            return None
        if self.data is not None and input_name(kpi_id, "revision") in self.data:
            return self.data.get(input_name(kpi_id, "revision"))
        return measurement.revision

    @staticmethod
    def _label(kind: str, name: str) -> str:
        if name == "value":
            return {
                Kind.SEX: str(_("Total")),
                Kind.YES_NO: str(_("Answer")),
            }.get(kind, str(_("Value")))
        return str(LABELS[name])

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for _name, rows in group.csfs for row in rows]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def summary_items(self) -> list[dict]:
        """The page's error summary (templates/_error_summary.html): each message linking to
        its input (a KPI's own message to its first input), then those of no input."""
        items = []
        for row in self.rows:
            inputs = [f for f in row.fields if f.input_name]
            first = inputs[0].input_id if inputs else f"kpi-{row.kpi.pk}"
            items += [{"anchor": first, "label": row.kpi.name, "message": m} for m in row.errors]
            for f in [*row.fields, *row.split_fields, row.note]:
                label = f"{row.kpi.name}, {f.label}"
                items += [{"anchor": f.input_id, "label": label, "message": m} for m in f.errors]
        items += [{"anchor": None, "label": "", "message": m} for m in self.unplaced_errors]
        return items

    @property
    def unplaced_errors(self) -> list[str]:
        """Errors that belong to no input on the page, so that none goes unseen."""
        placed = {
            f"{row.kpi.pk}.{f.name}"
            for row in self.rows
            for f in [*row.fields, *row.split_fields, row.note]
        }
        placed |= {str(row.kpi.pk) for row in self.rows}
        return [
            message
            for key, messages in self.errors.items()
            if key not in placed
            for message in messages
        ]

    @property
    def flag_count(self) -> int:
        return sum(len(row.flags) for row in self.rows)

    def explanations(self) -> dict[tuple[int, str], str]:
        """The POST's explanations of flags, keyed by (KPI id, rule)."""
        found = {}
        for name, text in self.data.items():
            if match := EXPLANATION_INPUT.match(name):
                found[(int(match[1]), match[2])] = text
        return found

    def _posted_parts(self, kpi_id: int, kpi: KPI) -> dict[str, dict[str, str]]:
        """The POST's parts of a value ({dimension: {category: raw}}), those on the page."""
        parts: dict[str, dict[str, str]] = {}
        for dimension in kpi.split_dimensions:
            if dimension == Dimension.SEX:
                continue
            for category, _label in split_categories(dimension, self.age_groups):
                name = split_input_name(kpi_id, dimension, category)
                if name in self.data:
                    parts.setdefault(dimension, {})[category] = self.data.get(name)
        return parts

    def service_rows(self) -> dict[int, dict]:
        """The POST as the service's rows: KPI id -> raw inputs, note and revision.

        A KPI whose inputs are not in the POST (it was not on the page the user sent) is left
        out, so that a partial form never clears values.
        """
        rows = {}
        for kpi_id, measurement in self.measurements.items():
            if input_name(kpi_id, "revision") not in self.data:
                continue
            raw = {
                name: self.data.get(input_name(kpi_id, name))
                for name in FIELDS_BY_KIND[kpi_kind(measurement.kpi)]
            }
            raw["note"] = self.data.get(input_name(kpi_id, "note"), "")
            raw["splits"] = self._posted_parts(kpi_id, measurement.kpi)
            revision = self.data.get(input_name(kpi_id, "revision"), "")
            # A tampered revision must never pass as "no revision": it is treated as stale.
            raw["revision"] = int(revision) if revision.isdigit() else -1
            rows[kpi_id] = raw
        return rows
