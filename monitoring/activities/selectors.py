"""Reads of the activity log: the scoped list and its filters (shared by the page, the exports
and the API), a cluster's timeline, the export table, and the cluster page's sustainability and
governance signals."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from accounts.filters import ScopedChoices
from accounts.scopes import clusters_in_scope, is_admin, scope_queryset
from bsos.models import BSO
from clusters.models import (
    ActionItem,
    Cluster,
    CommitteeMember,
    Meeting,
    Sex,
    StakeholderType,
    SteeringCommittee,
)
from core.currencies import currency_of_country
from monitoring.models.activities import (
    COST_FIELDS,
    EXTERNAL_COST_FIELDS,
    Activity,
    ActivityAttachment,
    ActivityImport,
    ActivityType,
)

ZERO = Decimal("0")


def activity_list() -> QuerySet[Activity]:
    """Activities with what a row of the list shows joined."""
    return Activity.objects.select_related("cluster", "bso", "action_item", "component")


def activity_detail() -> QuerySet[Activity]:
    return (
        activity_list()
        .select_related("meeting")
        .prefetch_related(
            Prefetch("attachments", ActivityAttachment.objects.order_by("uploaded_at", "id")),
            "participant_firms",
        )
    )


def activities_in_scope(user) -> QuerySet[Activity]:
    return scope_queryset(activity_list(), user)


def scope_detail(user) -> QuerySet[Activity]:
    """Activities in scope with their attachments (the activity page and the API)."""
    return scope_queryset(activity_detail(), user)


def attachments_in_scope(user) -> QuerySet[ActivityAttachment]:
    return scope_queryset(
        ActivityAttachment.objects.select_related("activity"),
        user,
        cluster_field="activity__cluster",
    )


def import_jobs_visible(user) -> QuerySet[ActivityImport]:
    """The background imports a user may follow: their own (an administrator: everyone's)."""
    jobs = ActivityImport.objects.select_related("created_by")
    return jobs if is_admin(user) else jobs.filter(created_by_id=user.pk)


def import_progress(job: ActivityImport) -> dict:
    """What the import's page shows of its progress (the JSON its script polls)."""
    if job.state == ActivityImport.State.QUEUED:
        text = _("Waiting for a worker to start the import…")
    elif job.state == ActivityImport.State.RUNNING and job.progress < job.total:
        text = _("%(done)d of %(total)d rows read") % {"done": job.progress, "total": job.total}
    elif job.state == ActivityImport.State.RUNNING:
        text = _("All %(total)d rows read; checking and saving them…") % {"total": job.total}
    elif job.state == ActivityImport.State.DONE:
        text = _("%(count)d activities were imported.") % {"count": job.saved}
    else:
        text = _("Nothing was imported.")
    return {
        "state": job.state,
        "label": str(job.get_state_display()),
        "finished": job.finished,
        "total": job.total,
        "progress": job.progress,
        "percent": job.percent,
        "saved": job.saved,
        "problems": len(job.errors or []),
        "text": str(text),
    }


def _date_range_widget() -> django_filters.widgets.DateRangeWidget:
    """Two date inputs under one legend (templates/_form_field.html): each says which end of
    the range it is, since neither has a label of its own."""
    widget = django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    for date_input, name in zip(widget.widgets, (_("Date from"), _("Date to")), strict=True):
        date_input.attrs["aria-label"] = name
    return widget


class ActivityFilter(ScopedChoices, django_filters.FilterSet):
    """The filters of the list page, its exports and the API: one definition for all three.

    Choices of clusters and BSOs come from the user's scope (accounts.filters), so a cluster
    outside it is an invalid choice rather than an empty result that would confirm it exists."""

    cluster = django_filters.ModelChoiceFilter(queryset=Cluster.objects.all(), label=_("Cluster"))
    type = django_filters.ChoiceFilter(choices=ActivityType.choices, label=_("Type"))
    date = django_filters.DateFromToRangeFilter(
        label=_("Date (from, to)"),
        widget=_date_range_widget(),
    )
    bso = django_filters.ModelChoiceFilter(queryset=BSO.objects.all(), label=_("BSO"))

    class Meta:
        model = Activity
        fields = ["cluster", "type", "date", "bso"]


def cluster_timeline(cluster: Cluster) -> QuerySet[Activity]:
    """The cluster's activities, newest first, with their attachments counted."""
    return (
        activity_list()
        .filter(cluster=cluster)
        .annotate(attachment_count=Count("attachments"))
        .order_by("-date", "-id")
    )


# --- Export -----------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    ("date", _("Date")),
    ("cluster", _("Cluster")),
    ("bso", _("BSO")),
    ("type", _("Type")),
    ("title", _("Title")),
    ("description", _("Description")),
    ("firms", _("Firms")),
    ("women", _("Women")),
    ("men", _("Men")),
    ("cost_program", _("Program fund")),
    ("cost_firms", _("Firms' contribution")),
    ("cost_public", _("Other public funds")),
    ("cost_credit", _("Credit")),
    ("total_cost", _("Total cost")),
    ("currency", _("Currency")),
    ("action_item", _("Action item")),
    ("component", _("Program component")),
    ("outcome", _("Outcome notes")),
)


def export_headers() -> list[str]:
    return [str(label) for _key, label in EXPORT_COLUMNS]


def export_rows(activities: QuerySet[Activity]) -> Iterator[list]:
    """The rows of the export, read in chunks (an export may hold the whole log)."""
    for a in activities.order_by("date", "id").iterator(chunk_size=500):
        yield [
            a.date,
            a.cluster.code,
            a.bso.code,
            a.get_type_display(),
            a.title,
            a.description,
            a.firms,
            a.women,
            a.men,
            a.cost_program,
            a.cost_firms,
            a.cost_public,
            a.cost_credit,
            a.total_cost,
            a.currency,
            a.action_item.title if a.action_item else "",
            a.component.name if a.component else "",
            a.outcome,
        ]


# --- Sustainability and governance signals (the cluster page) ----------------------------------


@dataclass(frozen=True)
class CostShare:
    """One year's activity cost in one currency, and the share paid from outside the firms."""

    year: int
    currency: str
    external: Decimal
    firms: Decimal
    total: Decimal

    @property
    def external_share(self) -> Decimal | None:
        return self.external / self.total if self.total else None

    @property
    def external_percent(self) -> Decimal | None:
        share = self.external_share
        return None if share is None else share * 100


def _money_sum(*names: str):
    total = None
    for name in names:
        term = Coalesce(Sum(f"activities__{name}"), Value(ZERO), output_field=DecimalField())
        total = term if total is None else total + term
    return total


def _count(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of a queryset as a scalar subquery (0 when it is empty)."""
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def _committee_counts(cluster: Cluster, today: datetime.date) -> dict:
    members = CommitteeMember.objects.current(today).filter(committee__cluster=cluster)
    open_items = ActionItem.objects.open().filter(committee__cluster=cluster)
    return {
        "has_committee": Exists(SteeringCommittee.objects.filter(cluster=cluster)),
        "members_total": _count(members),
        "members_public": _count(members.filter(stakeholder_type=StakeholderType.PUBLIC)),
        "members_private": _count(members.filter(stakeholder_type=StakeholderType.PRIVATE)),
        "members_women": _count(members.filter(sex=Sex.FEMALE)),
        "meetings_last_year": _count(
            Meeting.objects.filter(
                committee__cluster=cluster,
                held_on__gt=today - datetime.timedelta(days=365),
                held_on__lte=today,
            )
        ),
        "items_open": _count(open_items),
        "items_overdue": _count(open_items.filter(due_on__lt=today)),
    }


COMMITTEE_KEYS = (
    "members_total",
    "members_public",
    "members_private",
    "members_women",
    "meetings_last_year",
    "items_open",
    "items_overdue",
)


def cluster_signals(cluster: Cluster, *, today: datetime.date) -> dict:
    """What the cluster page's "Sustainability and governance" block shows, in one query:

    - `cost_shares`: per year and currency (amounts are never added across currencies), the
      activity cost and the share paid by external funds (program fund, other public funds,
      credit); a healthy initiative shows it falling as the firms pay more;
    - `committee` (None without a steering committee): current members by stakeholder group
      (public / private / other) and women, meetings in the last twelve months (365 days up
      to today), open and overdue action items.

    The cluster is left-joined to its activities, grouped by year and currency, so a cluster
    without activities still gives the one row that carries the committee's counts (scalar
    subqueries)."""
    rows = list(
        Cluster.objects.filter(pk=cluster.pk)
        .annotate(year=ExtractYear("activities__date"), currency=F("activities__currency"))
        .values("year", "currency")
        .annotate(
            external=_money_sum(*EXTERNAL_COST_FIELDS),
            firms=_money_sum("cost_firms"),
            total=_money_sum(*COST_FIELDS),
            **_committee_counts(cluster, today),
        )
        .order_by("year", "currency")
    )
    shares = [
        CostShare(r["year"], r["currency"], r["external"], r["firms"], r["total"])
        for r in rows
        if r["year"] is not None
    ]
    committee = None
    if rows and rows[0]["has_committee"]:
        committee = {key: rows[0][key] for key in COMMITTEE_KEYS}
        total = committee["members_total"]
        committee["members_other"] = (
            total - committee["members_public"] - committee["members_private"]
        )
        for key in ("public", "private", "other", "women"):
            count = committee[f"members_{key}"]
            committee[f"{key}_percent"] = Decimal(count * 100) / total if total else None
    return {"cost_shares": shares, "committee": committee}


def default_currency(*, user, cluster_id: int | None) -> str:
    """The currency the activity form proposes: the cluster's last activity's, else the one of
    the cluster's country; with no cluster (or one outside the scope), the currency of the
    user's clusters' country when they all use one, else none (the user types it)."""
    scope = clusters_in_scope(user).order_by()
    country = None
    if cluster_id is not None:
        country = scope.filter(pk=cluster_id).values_list("country__code", flat=True).first()
    if country is not None:
        return latest_currency(cluster_id=cluster_id) or currency_of_country(country)
    countries = scope.values_list("country__code", flat=True).distinct()[:20]
    currencies = {currency_of_country(code) for code in countries}
    return currencies.pop() if len(currencies) == 1 else ""


def default_currencies(*, user) -> dict[int, str]:
    """What `default_currency` proposes for each cluster in the user's scope, in one query (the
    form's script proposes it when the cluster changes)."""
    latest = Activity.objects.filter(cluster=OuterRef("pk")).order_by("-date", "-id")
    rows = (
        clusters_in_scope(user)
        .order_by()
        .annotate(latest=Subquery(latest.values("currency")[:1]))
        .values_list("pk", "country__code", "latest")
    )
    return {pk: latest or currency_of_country(country) for pk, country, latest in rows}


def latest_currency(*, cluster_id: int | None) -> str:
    """The currency the cluster's activities were last logged in (the form's default)."""
    if cluster_id is None:
        return ""
    row = (
        Activity.objects.filter(cluster_id=cluster_id)
        .order_by("-date", "-id")
        .values_list("currency", flat=True)
        .first()
    )
    return row or ""


def open_action_items(*, cluster_ids) -> QuerySet[ActionItem]:
    """Action items an activity may be linked to: those of the given clusters' committees."""
    return (
        ActionItem.objects.filter(committee__cluster__in=cluster_ids)
        .select_related("committee__cluster")
        .order_by("committee__cluster__name", "due_on", "pk")
    )
