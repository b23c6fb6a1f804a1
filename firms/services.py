"""Writes of the firm registry: register and change firms, their memberships of clusters and
the BSOs that serve them, and merge two records of one firm.

Who may write which firm is the caller's to check (accounts.scopes.firms_in_scope and
may_write_field_data, in the pages and the API), as for every room below accounts.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.services import model_update
from firms.models import Firm, Membership

# What a page, the API or the import may set on a firm.
FIRM_FIELDS = (
    "name",
    "tax_id",
    "country",
    "locality",
    "sector",
    "size_class",
    "women_led",
    "founded",
    "contact_name",
    "email",
    "phone",
    "bsos",
)
MEMBERSHIP_FIELDS = ("firm", "cluster", "since", "until")
# Filled on the firm kept by a merge from the other firm when its own is blank.
MERGE_FILLS = (
    "tax_id",
    "locality",
    "sector",
    "size_class",
    "founded",
    "contact_name",
    "email",
    "phone",
)


def _plain(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    data = {k: v for k, v in data.items() if k in FIRM_FIELDS}
    m2m = {k: data.pop(k) for k in ("bsos",) if k in data}
    return data, m2m


@transaction.atomic
def firm_create(*, data: dict[str, Any], cluster=None, since: datetime.date | None = None) -> Firm:
    """Register a firm and, when a cluster is given, its membership of it from `since`."""
    plain, m2m = _plain(data)
    firm = Firm(**plain)
    firm.full_clean()
    firm.save()
    for name, values in m2m.items():
        getattr(firm, name).set(values)
    if cluster is not None:
        membership_create(
            data={"firm": firm, "cluster": cluster, "since": since or datetime.date.today()}
        )
    return firm


@transaction.atomic
def firm_update(*, firm: Firm, data: dict[str, Any]) -> Firm:
    """Change a firm's own fields (and the BSOs that serve it)."""
    data = {k: v for k, v in data.items() if k in FIRM_FIELDS}
    firm, _changed = model_update(instance=firm, data=data, fields=list(data))
    return firm


@transaction.atomic
def firms_create_many(
    *, rows: Sequence[dict[str, Any]]
) -> tuple[list[Firm], dict[int, ValidationError]]:
    """Register several firms (each row: the firm's fields, and `cluster` and `since` for its
    membership), all or none: the errors of every row by index, or the firms saved. Rows may
    not repeat a tax id among themselves either."""
    errors: dict[int, ValidationError] = {}
    firms = []
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        plain, _m2m = _plain(row)
        firm = Firm(**plain)
        firm.normalise()
        problems: dict[str, list] = {}
        try:
            firm.full_clean()
        except ValidationError as error:
            problems = error.update_error_dict(problems)
        key = (firm.country_id, firm.tax_id)
        if firm.tax_id and key in seen:
            message = _("The same tax id as the firm of row %(row)s.") % {"row": seen[key]}
            problems.setdefault("tax_id", []).append(message)
        elif firm.tax_id:
            seen[key] = row.get("_row", index + 1)
        if problems:
            errors[index] = ValidationError(problems)
        firms.append(firm)
    if errors:
        return [], errors
    saved = []
    for firm, row in zip(firms, rows, strict=True):
        firm.save()
        if row.get("cluster") is not None:
            membership_create(
                data={
                    "firm": firm,
                    "cluster": row["cluster"],
                    "since": row.get("since") or datetime.date.today(),
                }
            )
        saved.append(firm)
    return saved, {}


# --- Memberships -----------------------------------------------------------------------------


@transaction.atomic
def membership_create(*, data: dict[str, Any]) -> Membership:
    """A firm joins a cluster from a date (until another, or open)."""
    membership = Membership(**{k: v for k, v in data.items() if k in MEMBERSHIP_FIELDS})
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, data: dict[str, Any]) -> Membership:
    data = {k: v for k, v in data.items() if k in MEMBERSHIP_FIELDS}
    membership, _changed = model_update(instance=membership, data=data, fields=list(data))
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    membership.delete()


# --- Merging two records of one firm ---------------------------------------------------------


@transaction.atomic
def firm_merge(*, keep: Firm, absorb: Firm) -> Firm:
    """Make `absorb` part of `keep`, in one transaction: every row that names `absorb` (its
    memberships, the BSOs that serve it, the activities it took part in, and any link another
    room adds later) names `keep` instead; `keep`'s blank fields take `absorb`'s values; then
    `absorb` is deleted. Both histories stay: `absorb`'s rows remain (ending in its deletion, with
    the reason), and `keep` gains a row saying what it absorbed.

    Links are found from the model's relations, so a room above this one (activities, surveys)
    is carried without this module importing it. A many-to-many row `keep` already has is
    dropped rather than doubled; a membership of the same cluster is joined into one span."""
    if keep.pk == absorb.pk:
        raise ValidationError(_("A firm cannot be merged with itself."))
    keep = Firm.objects.select_for_update().get(pk=keep.pk)
    absorb = Firm.objects.select_for_update().get(pk=absorb.pk)
    reason = _("Merged with “%(name)s” (#%(id)s)") % {"name": absorb.name, "id": absorb.pk}
    _merge_memberships(keep, absorb)
    for relation in Firm._meta.related_objects:
        related = relation.related_model
        if related is Membership or related._meta.model_name.startswith("historical"):
            continue
        if relation.many_to_many:
            _move_m2m_rows(relation.through, relation.field.m2m_reverse_field_name(), keep, absorb)
        elif relation.one_to_many:
            relation.related_model._base_manager.filter(**{relation.field.name: absorb}).update(
                **{relation.field.name: keep}
            )
    # Firm's own many-to-many fields (the BSOs that serve it).
    for field in Firm._meta.many_to_many:
        through = field.remote_field.through
        _move_m2m_rows(through, field.m2m_field_name(), keep, absorb)
    for name in MERGE_FILLS:
        if not getattr(keep, name) and getattr(absorb, name):
            setattr(keep, name, getattr(absorb, name))
    keep.women_led = keep.women_led or absorb.women_led
    absorb._change_reason = _("Merged into “%(name)s” (#%(id)s)") % {
        "name": keep.name,
        "id": keep.pk,
    }
    absorb.delete()  # first: a tax id taken from it is free only once it is gone
    keep._change_reason = reason
    keep.full_clean()
    keep.save()
    return keep


def _move_m2m_rows(through, own_column: str, keep: Firm, absorb: Firm) -> None:
    """Rows of a many-to-many table naming `absorb` (in `own_column`) name `keep`; a row `keep`
    already has is dropped."""
    other = next(
        f.name
        for f in through._meta.concrete_fields
        if f.is_relation and f.name != own_column and not f.primary_key
    )
    held = through.objects.filter(**{own_column: keep}).values(other)
    through.objects.filter(**{own_column: absorb}, **{f"{other}__in": held}).delete()
    through.objects.filter(**{own_column: absorb}).update(**{own_column: keep})


def _merge_memberships(keep: Firm, absorb: Firm) -> None:
    """Each of `absorb`'s memberships moves to `keep`; where `keep` belongs to the same cluster
    over an overlapping (or touching) span, the two become one covering both."""
    for moved in Membership.objects.filter(firm=absorb).order_by("since", "pk"):
        overlapping = Membership.objects.filter(firm=keep, cluster_id=moved.cluster_id).filter(
            Q(until__isnull=True) | Q(until__gte=moved.since - datetime.timedelta(days=1))
        )
        if moved.until:
            overlapping = overlapping.filter(since__lte=moved.until + datetime.timedelta(days=1))
        joined = overlapping.order_by("since").first()
        if joined is None:
            moved.firm = keep
            moved.save(update_fields=["firm", "updated_at"])
            continue
        joined.since = min(joined.since, moved.since)
        joined.until = (
            None if joined.until is None or moved.until is None else max(joined.until, moved.until)
        )
        moved.delete()
        joined.save(update_fields=["since", "until", "updated_at"])
