"""How a KPI value may be split into parts (disaggregation): the dimensions, their categories,
and the age groups an administrator keeps (DESIGN.md issue 16, "Disaggregation beyond sex").

Sex is stored on the value itself (women and men, as before); the other dimensions are rows of
monitoring's MeasurementSplit, one per category, named by the category's code. The age groups
are a table, so that a program can use other bands; the firm sizes are the firm registry's
size classes, and ownership is women-led or not, as the registry records it.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from firms.models import SizeClass


class Dimension(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE = "age", _("Age group")
    FIRM_SIZE = "firm_size", _("Firm size")
    OWNERSHIP = "ownership", _("Firm ownership")


# The categories of the dimensions that are not kept in a table (age groups are: AgeGroup).
SEX_CATEGORIES = [("women", _("Women")), ("men", _("Men"))]
OWNERSHIP_CATEGORIES = [("women_led", _("Women-led")), ("not_women_led", _("Not women-led"))]
FIRM_SIZE_CATEGORIES = list(SizeClass.choices)

# The KPI's flag that asks for each dimension.
KPI_FLAG = {
    Dimension.SEX: "by_sex",
    Dimension.AGE: "by_age",
    Dimension.FIRM_SIZE: "by_firm_size",
    Dimension.OWNERSHIP: "by_ownership",
}


class AgeGroup(TimeStampedModel):
    """An age band values may be split by (youth 15-24, 25-34, 35+ unless an administrator
    changes them). Its code names the values entered for it: retire a band (`active` off)
    rather than delete it, so values entered for it stay readable."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    min_age = models.PositiveSmallIntegerField(_("from age"))
    max_age = models.PositiveSmallIntegerField(
        _("to age"), null=True, blank=True, help_text=_("Blank: no upper limit.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("Only age groups in use are offered for entry.")
    )

    class Meta:
        ordering = ["order", "min_age"]
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                name="agegroup_max_not_below_min",
                violation_error_message=_("The upper age cannot be below the lower one."),
            ),
        ]

    def __str__(self):
        return self.name


def categories(dimension: str, *, age_groups: list[AgeGroup] | None = None) -> list[tuple]:
    """The (code, label) categories of a dimension; age groups in use from the table (pass
    `age_groups` to spare the query)."""
    if dimension == Dimension.SEX:
        return list(SEX_CATEGORIES)
    if dimension == Dimension.FIRM_SIZE:
        return list(FIRM_SIZE_CATEGORIES)
    if dimension == Dimension.OWNERSHIP:
        return list(OWNERSHIP_CATEGORIES)
    if age_groups is None:
        age_groups = list(AgeGroup.objects.filter(active=True))
    return [(g.code, g.name) for g in age_groups if g.active]
