"""The firm registry: each firm once, the clusters it belongs to over spans of dates, and the
BSOs that serve it."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bsos.models import BSO
from clusters.models import Cluster, Country
from core.dates import span_covers
from core.history.records import AuditTrail
from core.models import TimeStampedModel
from firms.names import locality_key, name_key, tax_id_clean

TAX_ID_TAKEN = _("A firm with this tax id is already registered.")


class SizeClass(models.TextChoices):
    """By employees, as most national SME definitions of the region count them."""

    MICRO = "micro", _("Micro (1-10 employees)")
    SMALL = "small", _("Small (11-50 employees)")
    MEDIUM = "medium", _("Medium (51-250 employees)")
    LARGE = "large", _("Large (more than 250 employees)")


class Firm(TimeStampedModel):
    """A firm, once. Its tax id (where the country uses one) is unique within the country; the
    keys of its name and locality (firms.names) let the duplicates page find it spelt twice."""

    name = models.CharField(_("name"), max_length=200)
    tax_id = models.CharField(
        _("tax id"),
        max_length=40,
        blank=True,
        help_text=_("Where the country uses one (CUIT, RUC, NIT...). Letters and digits are kept."),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="firms", verbose_name=_("country")
    )
    locality = models.CharField(_("locality"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    women_led = models.BooleanField(_("women-led"), default=False)
    founded = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    bsos = models.ManyToManyField(
        BSO, blank=True, related_name="firms", verbose_name=_("served by BSOs")
    )
    # Kept by save() from the name and locality: what the duplicate rule compares.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    locality_key = models.CharField(max_length=200, editable=False, blank=True)

    history = AuditTrail(m2m_fields=[bsos])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("firm")
        verbose_name_plural = _("firms")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "tax_id"],
                condition=~Q(tax_id=""),
                name="firm_tax_id_unique_in_country",
                violation_error_message=TAX_ID_TAKEN,
            ),
        ]
        indexes = [models.Index(fields=["tax_id"], name="firm_tax_id")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalise()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key", "locality_key", "tax_id"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("firm-detail", args=[self.pk])

    def normalise(self) -> None:
        self.name = (self.name or "").strip()
        self.tax_id = tax_id_clean(self.tax_id)
        self.name_key = name_key(self.name)
        self.locality_key = locality_key(self.locality)

    def clean(self):
        self.normalise()  # the uniqueness check compares the tax id as it will be stored

    def validate_constraints(self, exclude=None):
        """As Django's, but a tax id already registered is said at the tax id, not the form."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            taken = str(TAX_ID_TAKEN)
            general = errors.get(NON_FIELD_ERRORS, [])
            if any(taken in e.messages for e in general):
                errors[NON_FIELD_ERRORS] = [e for e in general if taken not in e.messages]
                errors.setdefault("tax_id", []).append(ValidationError(TAX_ID_TAKEN))
                errors = {k: v for k, v in errors.items() if v}
            raise ValidationError(errors) from None


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(span_covers(on))


class Membership(TimeStampedModel):
    """A firm's membership of a cluster from one date until another (open while it lasts)."""

    firm = models.ForeignKey(
        Firm, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("firm")
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.CASCADE,
        related_name="firm_memberships",
        verbose_name=_("cluster"),
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = AuditTrail()

    class Meta:
        ordering = ["firm", "since", "id"]
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="firm_membership_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["firm", "cluster", "since"], name="firm_membership_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.firm} → {self.cluster}"

    def clean(self):
        if not (self.firm_id and self.cluster_id and self.since):
            return
        if self.until and self.until < self.since:
            return  # the constraint says it
        overlapping = Membership.objects.filter(
            firm_id=self.firm_id, cluster_id=self.cluster_id
        ).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(until__isnull=True) | Q(until__gte=self.since))
        if self.until:
            overlapping = overlapping.filter(since__lte=self.until)
        if overlapping.exists():
            raise ValidationError(
                {"since": _("The firm is already a member of this cluster during these dates.")}
            )
