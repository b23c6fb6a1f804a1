"""Who publishes a national or a regional results page, and the one path that switches it."""

from django.db import transaction
from django.db.models import QuerySet

from accounts.models import Role
from accounts.scopes import is_admin
from clusters.models import Country, Region
from public.models import AreaPublication


def publishable_countries(user) -> QuerySet[Country]:
    """Countries whose national page the user may publish: the ministry's own, all for
    administrators, none for anyone else."""
    if is_admin(user):
        return Country.objects.all()
    if user.is_authenticated and user.is_active and user.role == Role.MINISTRY:
        return Country.objects.filter(pk=user.country_id)
    return Country.objects.none()


def publishable_regions(user) -> QuerySet[Region]:
    """Regions whose regional page the user may publish: the regional body's own, all for
    administrators, none for anyone else."""
    if is_admin(user):
        return Region.objects.all()
    if user.is_authenticated and user.is_active and user.role == Role.REGIONAL:
        return Region.objects.filter(pk=user.region_id)
    return Region.objects.none()


def area_publication_of(*, country: Country | None = None, region: Region | None = None):
    """The country's or region's publication (None: never set)."""
    return AreaPublication.objects.filter(country=country, region=region).first()


@transaction.atomic
def area_publication_set(
    *, country: Country | None = None, region: Region | None = None, published: bool, by
) -> AreaPublication:
    """Publish a country's or a region's results page, or stop; the history keeps who, when.
    Callers check the user may (publishable_countries / publishable_regions)."""
    publication = (
        AreaPublication.objects.select_for_update().filter(country=country, region=region).first()
    )
    publication = publication or AreaPublication(country=country, region=region)
    publication.published = published
    publication.changed_by = by
    publication._history_user = by
    publication.full_clean()
    publication.save()
    return publication
