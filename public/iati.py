"""A program as an IATI 2.03 activity file (XML): what it is, its money and its published results.

Built with the standard library's ElementTree, in the element order the schema's sequences
require (../shared/standards/iati-2.03/iati-activities-schema.xsd; a test validates against a
copy in standards/). Results come only from public.selectors.published_values: published clusters,
their published KPIs, approved values. Code lists used (IATI, version 2.03) are the constants
below, each naming its list.
"""

import datetime
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation

from programs.models import Enrolment, Program
from public.selectors import published_clusters, published_values
from scorecards.models import KPI, Baseline, Level, Target

IATI_VERSION = "2.03"
# ActivityStatus: 1 pipeline/identification, 2 implementation, 4 closed, 5 cancelled.
ACTIVITY_STATUS = {
    Program.Status.PREPARATION: "1",
    Program.Status.APPROVED: "2",
    Program.Status.IN_EXECUTION: "2",
    Program.Status.CLOSED: "4",
    Program.Status.CANCELLED: "5",
}
# ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
STARTED = {Program.Status.APPROVED, Program.Status.IN_EXECUTION, Program.Status.CLOSED}
# OrganisationRole: 1 funding, 4 implementing (the executing agency).
FUNDING, IMPLEMENTING = "1", "4"
# TransactionType: 2 outgoing commitment, 3 disbursement.
COMMITMENT, DISBURSEMENT = "2", "3"
# BudgetType 1 original; BudgetStatus 2 committed.
BUDGET_ORIGINAL, BUDGET_COMMITTED = "1", "2"
# SectorVocabulary 1: OECD DAC 5-digit purpose codes.
DAC_5 = "1"
# ResultType: 1 output, 2 outcome, 3 impact.
RESULT_TYPE = {
    KPI.ResultsLevel.OUTPUT: "1",
    KPI.ResultsLevel.OUTCOME: "2",
    KPI.ResultsLevel.IMPACT: "3",
}
# IndicatorMeasure: 1 unit, 2 percentage, 3 nominal, 4 ordinal.
MEASURE = {
    KPI.Unit.COUNT: "1",
    KPI.Unit.NUMBER: "1",
    KPI.Unit.CURRENCY: "1",
    KPI.Unit.PERCENT: "2",
    KPI.Unit.YES_NO: "3",
    KPI.Unit.SCORE: "4",
}
# GeographicLocationReach 1 activity; GeographicExactness 1 exact, 2 approximate;
# GeographicLocationClass 2 populated place.
REACH_ACTIVITY, EXACT, APPROXIMATE, POPULATED_PLACE = "1", "1", "2", "2"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
SEX = {"female": "value_women", "male": "value_men"}
RATIO_PLACES = Decimal("0.0001")  # a ratio KPI's value, to the precision values are stored


def identifier(program: Program) -> str:
    """The program's IATI identifier: the reporting organisation's identifier, then its code."""
    ref = program.reporting_org_ref.strip()
    return f"{ref}-{program.code}" if ref else program.code


def activity_file(program: Program) -> bytes:
    """The IATI activity file of the program, as UTF-8 XML bytes (a bounded number of queries)."""
    root = ET.Element(
        "iati-activities",
        {"version": IATI_VERSION, "generated-datetime": _now()},
    )
    activity = ET.SubElement(
        root,
        "iati-activity",
        {
            "last-updated-datetime": program.updated_at.replace(microsecond=0).isoformat(),
            # KPI names come in the active language (translated fields): the file says which
            "{http://www.w3.org/XML/1998/namespace}lang": (translation.get_language() or "en")[:2],
            "default-currency": program.currency,
        },
    )
    enrolments = _published_enrolments(program)
    _text(activity, "iati-identifier", identifier(program))
    org = ET.SubElement(
        activity,
        "reporting-org",
        {"ref": program.reporting_org_ref or program.code, "type": program.reporting_org_type},
    )
    _narrative(org, program.funder or program.name)
    _narratives(activity, "title", program.name)
    description = ET.SubElement(activity, "description", {"type": "1"})
    _narrative(description, _description(program))
    _participants(activity, program)
    ET.SubElement(activity, "activity-status", {"code": ACTIVITY_STATUS[program.status]})
    _dates(activity, program)
    _places(activity, program, enrolments)
    ET.SubElement(activity, "sector", {"vocabulary": DAC_5, "code": program.dac_sector})
    _money(activity, program)
    _results(activity, program, enrolments)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --- the parts, in the schema's order ---------------------------------------------------------


def _participants(activity, program):
    if program.funder:
        _org(activity, FUNDING, program.funder)
    if program.executing_agency:
        _org(activity, IMPLEMENTING, program.executing_agency)
    if not (program.funder or program.executing_agency):
        _org(activity, FUNDING, program.name)  # the schema asks for one at least


def _dates(activity, program):
    start = program.approval_date or program.created_at.date()
    _date(activity, PLANNED_START, start)
    if program.status in STARTED and program.approval_date:
        _date(activity, ACTUAL_START, program.approval_date)
    if program.closing_date:
        _date(activity, PLANNED_END, program.closing_date)
        if program.status == Program.Status.CLOSED:
            _date(activity, ACTUAL_END, program.closing_date)


def _places(activity, program, enrolments):
    """Recipient countries (declared, and those of its published clusters), then each published
    cluster as a sub-national location."""
    countries = {country.code: country for country in program.countries.all()}
    for enrolment in enrolments:
        countries.setdefault(enrolment.cluster.country.code, enrolment.cluster.country)
    for code in sorted(countries):
        country = ET.SubElement(activity, "recipient-country", {"code": code})
        _narrative(country, countries[code].name)
    for cluster in _clusters(enrolments):
        location = ET.SubElement(activity, "location", {"ref": _location_ref(program, cluster)})
        ET.SubElement(location, "location-reach", {"code": REACH_ACTIVITY})
        _narratives(location, "name", cluster.name)
        place = ", ".join(part for part in (cluster.locality, cluster.country.name) if part)
        _narratives(location, "description", place)
        if cluster.latitude is not None:
            point = ET.SubElement(location, "point", {"srsName": WGS84})
            _text(point, "pos", f"{cluster.latitude} {cluster.longitude}")
            ET.SubElement(location, "exactness", {"code": APPROXIMATE})
        ET.SubElement(location, "location-class", {"code": POPULATED_PLACE})


def _money(activity, program):
    """The budget over the program's dates, the funder's commitment, then each disbursement."""
    if program.approval_date and program.closing_date:
        budget = ET.SubElement(
            activity, "budget", {"type": BUDGET_ORIGINAL, "status": BUDGET_COMMITTED}
        )
        ET.SubElement(budget, "period-start", {"iso-date": program.approval_date.isoformat()})
        ET.SubElement(budget, "period-end", {"iso-date": program.closing_date.isoformat()})
        _value(budget, program.total_amount, program.currency, program.approval_date)
    if program.approval_date and program.funder_amount:
        _transaction(
            activity, program, COMMITMENT, program.approval_date, program.funder_amount, ""
        )
    for disbursement in program.disbursements.select_related("component").order_by("date", "pk"):
        note = " · ".join(
            part
            for part in (
                disbursement.component.name if disbursement.component else "",
                disbursement.reference,
            )
            if part
        )
        _transaction(activity, program, DISBURSEMENT, disbursement.date, disbursement.amount, note)


def _transaction(activity, program, kind, date, amount, note):
    transaction = ET.SubElement(activity, "transaction")
    ET.SubElement(transaction, "transaction-type", {"code": kind})
    ET.SubElement(transaction, "transaction-date", {"iso-date": date.isoformat()})
    _value(transaction, amount, program.currency, date)
    if note:
        _narratives(transaction, "description", note)
    if program.funder:
        provider = ET.SubElement(transaction, "provider-org")
        _narrative(provider, program.funder)


def _results(activity, program, enrolments):
    """One result per core KPI with a published value: its indicator (measure, direction), the
    clusters' baselines, and a period per reporting period with targets and actuals, each
    actual at its cluster's location, split by sex where the KPI is."""
    values = list(
        published_values(published_clusters().filter(pk__in=[e.cluster_id for e in enrolments]))
        .filter(kpi__cluster__isnull=True)
        .filter(Exists(_enrolled_then(program)))
        .select_related("kpi", "report__period", "report__cluster")
        .order_by(
            "kpi__code",
            "report__period__starts_on",
            "report__period__kind",
            "report__cluster__code",
        )
    )
    if not values:
        return
    kpis = {value.kpi_id: value.kpi for value in values}
    clusters = {value.report.cluster_id: value.report.cluster for value in values}
    periods = {value.report.period_id for value in values}
    pairs = {(value.report.cluster_id, value.kpi_id) for value in values}
    baselines = defaultdict(list)
    for baseline in Baseline.objects.filter(kpi__in=kpis, cluster__in=clusters).order_by(
        "cluster__code"
    ):
        if (baseline.cluster_id, baseline.kpi_id) in pairs:
            baselines[baseline.kpi_id].append(baseline)
    targets = defaultdict(list)
    for target in (
        Target.objects.filter(kpi__in=kpis, period__in=periods)
        .filter(
            Q(level=Level.PROGRAM, program=program) | Q(level=Level.CLUSTER, cluster__in=clusters)
        )
        .order_by("level", "cluster_id")
    ):
        if target.level == Level.PROGRAM or (target.cluster_id, target.kpi_id) in pairs:
            targets[(target.kpi_id, target.period_id)].append(target)
    by_kpi = defaultdict(lambda: defaultdict(list))
    for value in values:
        by_kpi[value.kpi_id][value.report.period].append(value)
    for kpi_id, by_period in by_kpi.items():
        kpi = kpis[kpi_id]
        result = ET.SubElement(
            activity,
            "result",
            {"type": RESULT_TYPE.get(kpi.results_level, "1"), "aggregation-status": "0"},
        )
        _narratives(result, "title", kpi.name)
        indicator = ET.SubElement(
            result,
            "indicator",
            {
                "measure": MEASURE.get(kpi.unit, "1"),
                "ascending": "1" if kpi.direction == KPI.Direction.HIGHER else "0",
            },
        )
        _narratives(indicator, "title", kpi.name)
        if kpi.description:
            _narratives(indicator, "description", kpi.description)
        for baseline in baselines[kpi_id]:
            number = _number(baseline, kpi)
            attrs = {"year": str(baseline.year)}
            if number is not None:
                attrs["value"] = _decimal(number)
            element = ET.SubElement(indicator, "baseline", attrs)
            _at(element, program, clusters[baseline.cluster_id])
        for period, period_values in by_period.items():
            element = ET.SubElement(indicator, "period")
            ET.SubElement(element, "period-start", {"iso-date": period.starts_on.isoformat()})
            ET.SubElement(element, "period-end", {"iso-date": period.ends_on.isoformat()})
            for target in targets[(kpi_id, period.pk)]:
                target_element = ET.SubElement(element, "target", {"value": _decimal(target.value)})
                if target.level == Level.CLUSTER:
                    _at(target_element, program, clusters[target.cluster_id])
            for value in period_values:
                _actuals(element, program, kpi, value)


def _actuals(period, program, kpi, value):
    number = _number(value, kpi)
    if number is None:
        return
    cluster = value.report.cluster
    actual = ET.SubElement(period, "actual", {"value": _decimal(number)})
    _at(actual, program, cluster)
    if not kpi.by_sex:
        return
    for sex, field in SEX.items():
        split = getattr(value, field)
        if split is not None:
            actual = ET.SubElement(period, "actual", {"value": _decimal(split)})
            _at(actual, program, cluster)
            ET.SubElement(actual, "dimension", {"name": "sex", "value": sex})


# --- reading the database --------------------------------------------------------------------


def _published_enrolments(program) -> list[Enrolment]:
    """The program's enrolments of published clusters, with each cluster and its country."""
    return list(
        program.enrolments.filter(cluster__in=published_clusters().values("pk"))
        .select_related("cluster__country")
        .order_by("cluster__code", "enrolled_from")
    )


def _enrolled_then(program):
    """An enrolment of the value's cluster in the program during the value's period (rule 3)."""
    return Enrolment.objects.filter(
        program=program,
        cluster_id=OuterRef("report__cluster_id"),
        enrolled_from__lte=OuterRef("report__period__ends_on"),
    ).filter(
        Q(enrolled_until__isnull=True)
        | Q(enrolled_until__gte=OuterRef("report__period__starts_on"))
    )


def _clusters(enrolments):
    return list({enrolment.cluster_id: enrolment.cluster for enrolment in enrolments}.values())


# --- small builders --------------------------------------------------------------------------


def _number(row, kpi) -> Decimal | None:
    """A value as entered (ValueFields): the value, or numerator / denominator x scale."""
    if row.value is not None:
        return row.value
    if row.numerator is not None and row.denominator:
        return (row.numerator / row.denominator * kpi.scale).quantize(RATIO_PLACES)
    return None


def _decimal(number: Decimal) -> str:
    """A decimal without trailing zeros or an exponent: 100, 12.5."""
    return format(number.normalize(), "f")


def _location_ref(program, cluster) -> str:
    return f"{identifier(program)}-{cluster.code}"


def _at(element, program, cluster):
    ET.SubElement(element, "location", {"ref": _location_ref(program, cluster)})


def _value(parent, amount, currency, date: datetime.date):
    value = ET.SubElement(parent, "value", {"currency": currency, "value-date": date.isoformat()})
    value.text = _decimal(amount)


def _org(activity, role, name):
    org = ET.SubElement(activity, "participating-org", {"role": role})
    _narrative(org, name)


def _date(activity, kind, date):
    ET.SubElement(activity, "activity-date", {"type": kind, "iso-date": date.isoformat()})


def _text(parent, tag, text):
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _narrative(parent, text):
    return _text(parent, "narrative", text)


def _narratives(parent, tag, text):
    element = ET.SubElement(parent, tag)
    _narrative(element, text)
    return element


def _description(program) -> str:
    parts = [program.name]
    if program.get_typology_display():
        parts.append(str(program.get_typology_display()))
    if program.area:
        parts.append(program.area)
    return " — ".join(parts)


def _now() -> str:
    return timezone.now().replace(microsecond=0).isoformat()
