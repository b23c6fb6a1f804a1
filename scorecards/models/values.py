"""How a KPI value is stored: its precision, and the fields of a value as entered."""

from django.db import models
from django.utils.translation import gettext_lazy as _

VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}


class ValueFields(models.Model):
    """A KPI value as entered: a value, or a numerator and denominator for ratio KPIs."""

    value = models.DecimalField(_("value"), null=True, blank=True, **VALUE_DIGITS)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **VALUE_DIGITS)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **VALUE_DIGITS)

    class Meta:
        abstract = True
