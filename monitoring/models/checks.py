"""Flags: a KPI value that broke one of its KPI's data-quality rules, and why it is so anyway."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.history.records import AuditTrail
from monitoring.models.reports import Measurement
from scorecards.models import Dimension

MAX_EXPLANATION = 500


class Flag(models.Model):
    """One rule one value breaks. `numbers` keeps the rule's numbers as decimal strings, so
    that the message is written in the reader's language; the explanation stays while the
    rule keeps firing for the value, and goes with the flag when a change clears it."""

    class Rule(models.TextChoices):
        MINIMUM = "minimum", _("Below the minimum")
        MAXIMUM = "maximum", _("Above the maximum")
        CHANGE = "change", _("Large change")
        RATIO = "ratio", _("Numerator above the denominator")
        SPLIT = "split", _("Women + men differ from the total")
        PARTS = "parts", _("Parts differ from the total")
        OUTLIER = "outlier", _("Far from alike clusters")

    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="flags", verbose_name=_("KPI value")
    )
    rule = models.CharField(_("rule"), max_length=8, choices=Rule.choices)
    numbers = models.JSONField(_("the rule's numbers"), default=dict, blank=True)
    explanation = models.CharField(_("explanation"), max_length=MAX_EXPLANATION, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by the value of"),
    )
    raised_at = models.DateTimeField(_("raised at"))
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("explained by"),
    )
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["measurement", "rule"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["measurement", "rule"], name="flag_one_per_rule"),
        ]

    def __str__(self):
        return f"{self.rule} on {self.measurement_id}"

    @property
    def message(self) -> str:
        return flag_message(self.rule, self.numbers)


def _plain(text: str | None) -> str:
    """A stored decimal string as people read it: '480', '2.5', '-3' (no exponent)."""
    if text is None:
        return "—"
    number = Decimal(text)
    if number == number.to_integral_value():
        return format(number.quantize(Decimal(1)), "f")
    return format(number.normalize(), "f")


def _signed(text: str) -> str:
    return ("+" if Decimal(text) >= 0 else "") + _plain(text)


def flag_message(rule: str, numbers: dict) -> str:
    """The rule's numbers in a sentence, e.g. "previous 120, now 480, change +300% > 100%"."""
    n = {key: _plain(value) for key, value in numbers.items() if key not in ("change", "kind")}
    if rule == Flag.Rule.MINIMUM:
        return gettext("now %(value)s < minimum %(minimum)s") % n
    if rule == Flag.Rule.MAXIMUM:
        return gettext("now %(value)s > maximum %(maximum)s") % n
    if rule == Flag.Rule.CHANGE:
        n["change"] = _signed(numbers["change"])
        if numbers.get("kind") == "percent":
            return (
                gettext("previous %(previous)s, now %(value)s, change %(change)s%% > %(limit)s%%")
                % n
            )
        return gettext("previous %(previous)s, now %(value)s, change %(change)s > %(limit)s") % n
    if rule == Flag.Rule.RATIO:
        return gettext("numerator %(numerator)s > denominator %(denominator)s") % n
    if rule == Flag.Rule.SPLIT:
        return gettext("women %(women)s + men %(men)s = %(sum)s, total %(value)s") % n
    if rule == Flag.Rule.PARTS:
        return parts_message(numbers)
    if rule == Flag.Rule.OUTLIER:
        return (
            gettext(
                "now %(value)s, median of %(peers)s alike clusters %(median)s, MAD %(mad)s: "
                "robust z-score %(score)s > %(threshold)s"
            )
            % n
        )
    return str(Flag.Rule(rule).label)


def parts_message(numbers: dict) -> str:
    """E.g. "parts add up to age group 9, firm size 11, total 10" (the dimensions whose
    parts differ from the total)."""
    shown = [
        gettext("%(dimension)s %(sum)s")
        % {"dimension": str(Dimension(name).label).lower(), "sum": _plain(numbers[name])}
        for name in Dimension.values
        if name in numbers
    ]
    return gettext("parts add up to %(sums)s, total %(value)s") % {
        "sums": ", ".join(shown),
        "value": _plain(numbers.get("value")),
    }
