"""Funded cluster development programs: money, components, disbursements, enrolled clusters and
the strategic committee that steers them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import AbstractCommitteeMember, Cluster, Country
from core.dates import span_covers
from core.history.records import AuditTrail
from core.models import TimeStampedModel
from programs.money import AMOUNT_DIGITS, AMOUNT_PLACES, disbursement_rate, validate_currency

ZERO = Decimal(0)


class Typology(models.TextChoices):
    """The four program types of the IDB review of its cluster programs (domain notes)."""

    CLUSTER_STRENGTHENING = (
        "cluster_strengthening",
        _("Strengthen selected clusters and coordinate institutions"),
    )
    POLICY_COORDINATION = (
        "policy_coordination",
        _("Coordinate and decentralise private sector policy through public-private dialogue"),
    )
    FINANCING_PACKAGE = (
        "financing_package",
        _("Large financing package with infrastructure and training"),
    )
    POLICY_BASED = (
        "policy_based",
        _("Public-private dialogue within a policy-based loan or technical advice"),
    )


def amount_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, **kwargs
    )


class IatiOrganisationType(models.TextChoices):
    """IATI code list OrganisationType (version 2.03), the kinds a funder reports as."""

    GOVERNMENT = "10", _("Government")
    NGO = "22", _("National NGO")
    FOUNDATION = "60", _("Foundation")
    MULTILATERAL = "40", _("Multilateral")
    PRIVATE_SECTOR = "70", _("Private sector")


class Program(TimeStampedModel):
    class Status(models.TextChoices):
        # a development bank's project cycle; changed only by services.program_transition
        PREPARATION = "preparation", _("In preparation")
        APPROVED = "approved", _("Approved")
        IN_EXECUTION = "in_execution", _("In execution")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    executing_agency = models.CharField(
        _("executing agency"),
        max_length=200,
        blank=True,
        help_text=_("Usually a unit of the ministry of industry or trade."),
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="programs", verbose_name=_("countries")
    )
    area = models.CharField(
        _("sub-national area"),
        max_length=200,
        blank=True,
        help_text=_("For a sub-national program, e.g. a province or state."),
    )
    typology = models.CharField(
        _("typology"), max_length=30, choices=Typology.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARATION
    )
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    execution_date = models.DateField(_("execution start date"), null=True, blank=True)
    closing_date = models.DateField(_("closing date"), null=True, blank=True)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="USD",
        validators=[validate_currency],
        help_text=_("ISO 4217 code; every amount of the program is in this currency."),
    )
    total_amount = amount_field(
        _("total amount"), default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    funder_amount = amount_field(
        _("funder amount"),
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text=_("The funder's approved share of the total amount."),
    )
    clusters = models.ManyToManyField(
        Cluster, through="Enrolment", related_name="programs", verbose_name=_("clusters")
    )
    # How the program is published as IATI data (public.iati): the reporting organisation's
    # IATI identifier and type, and the OECD DAC sector of the activity.
    reporting_org_ref = models.CharField(
        _("reporting organisation's IATI identifier"),
        max_length=100,
        blank=True,
        help_text=_("e.g. XM-DAC-46012; with the program code it makes the IATI identifier."),
    )
    reporting_org_type = models.CharField(
        _("reporting organisation's type"),
        max_length=2,
        choices=IatiOrganisationType.choices,
        default=IatiOrganisationType.MULTILATERAL,
    )
    dac_sector = models.CharField(
        _("OECD DAC sector"),
        max_length=5,
        default="32130",
        validators=[RegexValidator(r"^[0-9]{5}$", _("Five digits, e.g. 32130."))],
        help_text=_("The DAC 5-digit purpose code; 32130 is SME development."),
    )

    history = AuditTrail(m2m_fields=[countries])

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(funder_amount__lte=F("total_amount")),
                name="program_funder_amount_within_total",
                violation_error_message=_("The funder amount cannot exceed the total amount."),
            ),
            models.CheckConstraint(
                condition=Q(total_amount__gte=0, funder_amount__gte=0),
                name="program_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="program_currency_iso_4217"
            ),
            models.CheckConstraint(
                condition=Q(closing_date__isnull=True)
                | Q(approval_date__isnull=True)
                | Q(closing_date__gte=F("approval_date")),
                name="program_dates_in_order",
                violation_error_message=_("The closing date cannot be before the approval date."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.currency = (self.currency or "").upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("program-detail", args=[self.pk])

    def clean(self):
        if self.pk is None:
            return
        # amounts may shrink, but never below what was already spent or planned
        errors = {}
        disbursed = self.disbursements.aggregate(s=Sum("amount"))["s"] or ZERO
        if disbursed > (self.funder_amount or ZERO):
            errors["funder_amount"] = _(
                "The funder amount cannot be less than what was already disbursed "
                "(%(amount)s %(currency)s)."
            ) % {"amount": disbursed, "currency": self.currency}
        budgets = self.components.aggregate(s=Sum("budget"))["s"] or ZERO
        if budgets > (self.total_amount or ZERO):
            errors["total_amount"] = _(
                "The total amount cannot be less than the components' budgets "
                "(%(amount)s %(currency)s)."
            ) % {"amount": budgets, "currency": self.currency}
        if errors:
            raise ValidationError(errors)

    @property
    def disbursement_rate(self) -> Decimal | None:
        """Needs the `disbursed` annotation of selectors.portfolio_rows()."""
        return disbursement_rate(getattr(self, "disbursed", None), self.funder_amount)


class EnrolmentQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(span_covers(on, start="enrolled_from", end="enrolled_until"))


class Enrolment(TimeStampedModel):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("program")
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("cluster")
    )
    enrolled_from = models.DateField(_("enrolled from"))
    enrolled_until = models.DateField(_("enrolled until"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()
    history = AuditTrail()

    class Meta:
        ordering = ["program", "cluster"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.CheckConstraint(
                condition=Q(enrolled_until__isnull=True)
                | Q(enrolled_until__gte=F("enrolled_from")),
                name="enrolment_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["program", "cluster", "enrolled_from"], name="enrolment_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.cluster} in {self.program}"


class Component(TimeStampedModel):
    """A sub-program (intervention area) with its budget, in the program's currency."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="components", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    budget = amount_field(_("budget"), default=ZERO, validators=[MinValueValidator(ZERO)])

    history = AuditTrail()

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="component_unique_name"),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="component_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.program_id or self.budget is None:
            return
        others = self.program.components.exclude(pk=self.pk).aggregate(s=Sum("budget"))["s"]
        planned = (others or ZERO) + self.budget
        if planned > self.program.total_amount:
            raise ValidationError(
                {
                    "budget": _(
                        "The components' budgets (%(planned)s) would exceed the program's "
                        "total amount (%(total)s %(currency)s)."
                    )
                    % {
                        "planned": planned,
                        "total": self.program.total_amount,
                        "currency": self.program.currency,
                    }
                }
            )


# Money flows only while the program is live: approved and not yet closed or cancelled.
DISBURSING_STATUSES = frozenset({Program.Status.APPROVED, Program.Status.IN_EXECUTION})


class Disbursement(TimeStampedModel):
    """Funder money paid out on a date, in the program's currency (recorded by program_disburse)."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="disbursements",
        verbose_name=_("program"),
    )
    component = models.ForeignKey(
        Component,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursements",
        verbose_name=_("component"),
    )
    date = models.DateField(_("date"))
    amount = amount_field(_("amount"))
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("e.g. the funder's request number")
    )

    history = AuditTrail()

    class Meta:
        ordering = ["program", "date", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        indexes = [models.Index(fields=["program", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="disbursement_amount_positive",
                violation_error_message=_("A disbursement must be a positive amount."),
            ),
        ]

    def __str__(self):
        return f"{self.program} {self.date:%Y-%m-%d}: {self.amount}"

    def clean(self):
        """The rules every disbursement keeps, from the API, a page or the admin alike."""
        if not self.program_id:
            return
        program = self.program
        errors = {}
        if self.component_id and self.component.program_id != program.pk:
            errors["component"] = _("The component must belong to the same program.")
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("A disbursement must be a positive amount.")
        if program.status not in DISBURSING_STATUSES:
            errors["__all__"] = _(
                "Money can only be disbursed while the program is approved or in execution "
                "(current status: %(status)s)."
            ) % {"status": program.get_status_display()}
        if self.date and program.approval_date and self.date < program.approval_date:
            errors["date"] = _("A disbursement cannot be dated before the program's approval.")
        elif self.date and self.date > timezone.localdate():
            # recorded as it happened: money planned for later is not a disbursement yet
            errors["date"] = _(
                "A disbursement is recorded once paid: its date cannot be in the future."
            )
        if self.amount is not None and self.amount > 0 and "amount" not in errors:
            others = program.disbursements.exclude(pk=self.pk).aggregate(s=Sum("amount"))["s"]
            if (others or ZERO) + self.amount > program.funder_amount:
                errors["amount"] = _(
                    "Disbursements would exceed the funder amount (%(amount)s %(currency)s)."
                ) % {"amount": program.funder_amount, "currency": program.currency}
        if errors:
            raise ValidationError(errors)


class StrategicCommitteeMember(AbstractCommitteeMember):
    """A public or private representative on the committee that steers the program."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="committee_members",
        verbose_name=_("program"),
    )

    history = AuditTrail()

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("strategic committee member")
        verbose_name_plural = _("strategic committee members")
        constraints = [AbstractCommitteeMember.dates_in_order("strategic_member_dates_in_order")]


# The rate table lives in its own sub-package; imported here so that Django finds the model.
from programs.rates.models import ExchangeRate  # noqa: E402, F401
