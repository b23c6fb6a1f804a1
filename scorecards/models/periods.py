"""Reporting periods: calendar quarters and whole years."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PeriodQuerySet(models.QuerySet):
    def quarters(self):
        return self.filter(kind=Period.Kind.QUARTER)

    def years(self):
        return self.filter(kind=Period.Kind.YEAR)


class Period(models.Model):
    """A reporting period: a calendar quarter (quarter 1-4) or a whole year (quarter 0)."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    kind = models.CharField(_("kind"), max_length=7, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        default=0,
        validators=[MaxValueValidator(4)],
        help_text=_("0 for a whole year."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    deadline = models.DateField(_("reporting deadline"))

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["year", "quarter"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_unique_year_quarter"),
            models.CheckConstraint(
                condition=(Q(kind="year") & Q(quarter=0))
                | (Q(kind="quarter") & Q(quarter__gte=1) & Q(quarter__lte=4)),
                name="period_kind_matches_quarter",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on"))
                & Q(deadline__gte=models.F("ends_on")),
                name="period_dates_in_order",
                violation_error_message=_("Dates must run start, end, deadline."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.kind == self.Kind.QUARTER else str(self.year)

    @property
    def is_partial(self) -> bool:
        """Not over yet (today is on or before its last day): its numbers are not final and a
        year holds only some of its quarters."""
        return self.ends_on >= timezone.localdate()

    @property
    def shown_label(self) -> str:
        """The label as pages and downloads show it, a period not over yet marked "partial"."""
        if self.is_partial:
            return gettext("%(period)s (partial)") % {"period": self.label}
        return self.label

    @property
    def is_quarter(self) -> bool:
        return self.kind == self.Kind.QUARTER

    def previous_quarter_key(self) -> tuple[int, int]:
        return (self.year, self.quarter - 1) if self.quarter > 1 else (self.year - 1, 4)

    @staticmethod
    def bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
        if quarter == 0:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        start = datetime.date(year, 3 * quarter - 2, 1)
        end_month_next = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return start, end_month_next - datetime.timedelta(days=1)
