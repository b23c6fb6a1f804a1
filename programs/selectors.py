"""Reads for programs and the portfolio arithmetic: the one place the page, the exports and
the API take their program rows, per-currency totals and disbursement curves from.

DESIGN.md rule 8: amounts keep their currency, so totals are per currency by default; a total
in one chosen currency (portfolio_in_currency) converts each amount at its own date through the
exchange-rate table (programs.rates.services.convert) and names the rates it used, or the ones
missing. A rate is sum(disbursed) / sum(funder amounts), where a program without disbursements
counts as zero disbursed, not as missing.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, ExtractQuarter, ExtractYear, NullIf

from clusters.models import Cluster, Country
from core.history.changes import Part
from programs.models import (
    ZERO,
    Component,
    Disbursement,
    Enrolment,
    Program,
    StrategicCommitteeMember,
)
from programs.money import AMOUNT_PLACES, cents, disbursement_rate
from programs.rates.services import MissingRate, RateBook, RateUsed, convert

_MONEY = DecimalField(max_digits=20, decimal_places=AMOUNT_PLACES)


def _disbursed_subquery(program_ref: str = "pk") -> Coalesce:
    """Sum of a program's disbursements, zero when it has none (never NULL, never left out)."""
    total = (
        Disbursement.objects.filter(program=OuterRef(program_ref))
        .order_by()
        .values("program")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def portfolio_rows() -> QuerySet[Program]:
    """Programs with `disbursed` (Decimal), their countries, and the sort keys of the table.

    One row per program whatever the filters (no join multiplies it): totals computed from
    these rows stay right. `rate_order` and `country_order` exist only for sorting; the rate
    shown is Program.disbursement_rate, in Decimal.
    """
    first_country = (
        Program.countries.through.objects.filter(program_id=OuterRef("pk"))
        .order_by("country__name")
        .values("country__name")[:1]
    )
    return (
        Program.objects.annotate(disbursed=_disbursed_subquery())
        .alias(
            # float is fine for ordering only; SQLite would divide stored integers as integers
            rate_order=Cast("disbursed", FloatField())
            / NullIf(Cast("funder_amount", FloatField()), Value(0.0)),
            country_order=Subquery(first_country),
        )
        .prefetch_related(Prefetch("countries", Country.objects.order_by("name")))
    )


@dataclass(frozen=True)
class CurrencyTotal:
    """A portfolio's totals in one currency."""

    currency: str
    programs: int
    total_amount: Decimal
    funder_amount: Decimal
    disbursed: Decimal

    @property
    def disbursement_rate(self) -> Decimal | None:
        return disbursement_rate(self.disbursed, self.funder_amount)


def portfolio_totals(programs: QuerySet[Program]) -> list[CurrencyTotal]:
    """Sums per currency over the given programs (any filtered, scoped queryset), two queries.

    The programs are taken by primary key, so a queryset whose joins repeat rows cannot count
    a program twice.
    """
    chosen = Program.objects.filter(pk__in=programs.values("pk"))
    amounts = (
        chosen.order_by("currency")
        .values("currency")
        .annotate(n=Count("pk"), total=Sum("total_amount"), funder=Sum("funder_amount"))
    )
    disbursed = dict(
        Disbursement.objects.filter(program__in=chosen)
        .order_by()
        .values("program__currency")
        .annotate(total=Sum("amount"))
        .values_list("program__currency", "total")
    )
    return [
        CurrencyTotal(
            currency=row["currency"],
            programs=row["n"],
            total_amount=cents(row["total"]),
            funder_amount=cents(row["funder"]),
            disbursed=cents(disbursed.get(row["currency"])),
        )
        for row in amounts
    ]


@dataclass(frozen=True)
class ConvertedTotal:
    """A portfolio's totals in one chosen currency, with the rates that made them; when a rate
    is missing the amounts are None and `missing` names each pair (at its earliest date
    without a rate)."""

    currency: str
    programs: int
    total_amount: Decimal | None
    funder_amount: Decimal | None
    disbursed: Decimal | None
    rates_used: list[RateUsed] = field(default_factory=list)
    missing: list[MissingRate] = field(default_factory=list)

    @property
    def disbursement_rate(self) -> Decimal | None:
        if self.missing:
            return None
        return disbursement_rate(self.disbursed, self.funder_amount)


def portfolio_in_currency(
    programs: QuerySet[Program], currency: str, *, today: datetime.date
) -> ConvertedTotal:
    """The portfolio's totals converted to `currency`, each amount at its own date: a
    program's total and funder amounts at its approval date (`today` while it is not approved),
    a disbursement at its date. Three queries (amounts, disbursements, rates), whatever the
    number of programs: amounts of one currency and date are summed before they convert (the
    same rate multiplies them all)."""
    chosen = Program.objects.filter(pk__in=programs.values("pk"))
    amounts = list(
        chosen.order_by()
        .values("currency", "approval_date")
        .annotate(n=Count("pk"), total=Sum("total_amount"), funder=Sum("funder_amount"))
    )
    paid = list(
        Disbursement.objects.filter(program__in=chosen)
        .order_by()
        .values("program__currency", "date")
        .annotate(total=Sum("amount"))
    )
    book = RateBook(
        currencies={row["currency"] for row in amounts}, to=currency
    )  # the programs' currencies hold their disbursements'
    used: set[RateUsed] = set()
    missing: dict[str, MissingRate] = {}

    def converted(amount: Decimal | None, from_currency: str, on: datetime.date) -> Decimal:
        try:
            value, rate = convert(
                amount or ZERO, from_currency=from_currency, to_currency=currency, on=on, book=book
            )
        except MissingRate as error:
            if error.pair not in missing or on < missing[error.pair].on:
                missing[error.pair] = error
            return ZERO
        if rate is not None:
            used.add(rate)
        return value

    total = funder = disbursed = ZERO
    for row in amounts:
        on = row["approval_date"] or today
        total += converted(row["total"], row["currency"], on)
        funder += converted(row["funder"], row["currency"], on)
    for row in paid:
        disbursed += converted(row["total"], row["program__currency"], row["date"])
    complete = not missing
    return ConvertedTotal(
        currency=currency,
        programs=sum(row["n"] for row in amounts),
        total_amount=cents(total) if complete else None,
        funder_amount=cents(funder) if complete else None,
        disbursed=cents(disbursed) if complete else None,
        rates_used=sorted(used),
        missing=sorted(missing.values(), key=lambda error: error.pair),
    )


@dataclass(frozen=True)
class CurvePoint:
    label: str  # "2024 Q3"
    disbursed: Decimal  # in the quarter
    cumulative: Decimal
    rate: Decimal | None  # cumulative / the portfolio's funder amount in this currency


def cumulative_disbursements(
    programs: QuerySet[Program], totals: list[CurrencyTotal] | None = None
) -> dict[str, list[CurvePoint]]:
    """Per currency, quarter by quarter from the first disbursement to the last: what was paid
    in the quarter and in all up to its end. Quarters without money keep the running total."""
    totals = totals if totals is not None else portfolio_totals(programs)
    approved = {t.currency: t.funder_amount for t in totals}
    rows = (
        Disbursement.objects.filter(program__in=programs.values("pk"))
        .order_by()
        .values("program__currency", year=ExtractYear("date"), quarter=ExtractQuarter("date"))
        .annotate(total=Sum("amount"))
        .order_by("program__currency", "year", "quarter")
    )
    by_currency: dict[str, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    for row in rows:
        by_currency[row["program__currency"]][row["year"], row["quarter"]] = row["total"]
    curves = {}
    for currency, quarters in sorted(by_currency.items()):
        (year, quarter), last = min(quarters), max(quarters)
        running, points = ZERO, []
        while (year, quarter) <= last:
            paid = quarters.get((year, quarter), ZERO)
            running += paid
            points.append(
                CurvePoint(
                    label=f"{year} Q{quarter}",
                    disbursed=paid,
                    cumulative=running,
                    rate=disbursement_rate(running, approved.get(currency)),
                )
            )
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        curves[currency] = points
    return curves


# --- one program ---------------------------------------------------------------------------


def program_detail() -> QuerySet[Program]:
    """The program page: portfolio numbers plus everything it lists, prefetched."""
    return portfolio_rows().prefetch_related(
        Prefetch("components", Component.objects.annotate(disbursed=_component_disbursed())),
        Prefetch("disbursements", Disbursement.objects.select_related("component")),
        Prefetch(
            "enrolments",
            Enrolment.objects.select_related("cluster__country").order_by(
                "cluster__name", "enrolled_from"
            ),
        ),
        Prefetch(
            "committee_members",
            StrategicCommitteeMember.objects.order_by(F("until").asc(nulls_first=True), "name"),
        ),
    )


def _component_disbursed() -> Coalesce:
    total = (
        Disbursement.objects.filter(component=OuterRef("pk"))
        .order_by()
        .values("component")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def disbursement_list(program: Program) -> QuerySet[Disbursement]:
    return program.disbursements.select_related("component", "program").order_by("-date", "-pk")


def funders(programs: QuerySet[Program]) -> list[str]:
    """Distinct funders among the programs (the filter's choices)."""
    return list(
        programs.exclude(funder="").order_by("funder").values_list("funder", flat=True).distinct()
    )


def approval_years(programs: QuerySet[Program]) -> list[int]:
    return sorted(
        {
            d.year
            for d in programs.filter(approval_date__isnull=False).values_list(
                "approval_date", flat=True
            )
        },
        reverse=True,
    )


def program_countries(programs: QuerySet[Program]) -> QuerySet[Country]:
    """Countries the programs declare (the country filter's choices)."""
    declared = Program.countries.through.objects.filter(program__in=programs.values("pk"))
    return Country.objects.filter(pk__in=declared.values("country_id"))


def enrolment_list() -> QuerySet[Enrolment]:
    """Enrolments with their cluster and its country (the API's list)."""
    return Enrolment.objects.select_related("cluster__country").order_by(
        "program_id", "cluster__name", "enrolled_from", "pk"
    )


def enrolment_choices(
    program: Program, *, any_cluster: bool, keep: int | None = None
) -> QuerySet[Cluster]:
    """The clusters an enrolment form offers: for an administrator every cluster, for a program
    officer the active clusters of the program's countries (services.enrolment_create refuses
    the others), plus the enrolment's own cluster (`keep`) when it is being changed."""
    clusters = Cluster.objects.select_related("country").order_by("country__name", "name")
    if any_cluster:
        return clusters
    enrollable = Q(
        status=Cluster.Status.ACTIVE,
        country__in=program.countries.values("pk"),
    )
    return clusters.filter(enrollable | Q(pk=keep)) if keep else clusters.filter(enrollable)


def program_history_parts(program: Program) -> list[Part]:
    """What belongs to a program and keeps a history, for its history page: components,
    enrolments, strategic committee members and disbursements (those since deleted too)."""
    return [
        Part(Component.history.filter(program_id=program.pk), named_by="name"),
        Part(Enrolment.history.filter(program_id=program.pk), named_by="cluster"),
        Part(StrategicCommitteeMember.history.filter(program_id=program.pk), named_by="name"),
        Part(Disbursement.history.filter(program_id=program.pk), named_by="date"),
    ]
