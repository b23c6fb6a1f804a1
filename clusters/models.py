"""Geography (countries, regions), clusters and their steering committees."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import span_covers
from core.models import TimeStampedModel


class Country(models.Model):
    code = models.CharField(
        _("ISO 3166-1 alpha-2 code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, e.g. AR."))],
    )
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso_alpha2"
            ),
        ]

    def __str__(self):
        return self.name


class Region(models.Model):
    """A named set of countries; regions may overlap (a country can sit in several)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    countries = models.ManyToManyField(Country, related_name="regions", verbose_name=_("countries"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class SectorFamily(models.TextChoices):
    """Pietrobelli & Rabellotti."""

    TRADITIONAL = "traditional", _("Traditional manufacturing")
    NATURAL_RESOURCE = "natural_resource", _("Natural resource-based")
    COMPLEX_PRODUCT = "complex_product", _("Complex product systems")
    SPECIALIZED_SUPPLIERS = "specialized_suppliers", _("Specialized suppliers")


class ClusterType(models.TextChoices):
    """Markusen / Altenburg & Meyer-Stamer."""

    ITALIANATE = "italianate", _("Italianate (networked SMEs)")
    SATELLITE = "satellite", _("Satellite")
    HUB_AND_SPOKE = "hub_and_spoke", _("Hub-and-spoke")
    SURVIVAL = "survival", _("Survival")
    FORDIST = "fordist", _("Fordist")
    TRANSNATIONAL = "transnational", _("Transnational")


class LifecycleStage(models.TextChoices):
    EMERGING = "emerging", _("Emerging")
    INITIAL_LEARNING = "initial_learning", _("Initial learning")
    MATURING = "maturing", _("Maturing")
    GLOBALISATION = "globalisation", _("Globalisation")
    DECLINING = "declining", _("Declining")


class InitiativeOrigin(models.TextChoices):
    TOP_DOWN_PUBLIC = "top_down_public", _("Top-down, public-sector driven")
    TOP_DOWN_PRIVATE = "top_down_private", _("Top-down, private-sector driven")
    BOTTOM_UP_PUBLIC = "bottom_up_public", _("Bottom-up, public-sector driven")
    BOTTOM_UP_PRIVATE = "bottom_up_private", _("Bottom-up, private-sector driven")


class ClusterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Cluster.Status.ACTIVE)

    def supported_by(self, bso_id: int, on=None):
        """Clusters the BSO supports (as lead or partner) on the date, today by default."""
        supporting = span_covers(on, prefix="supports__") & Q(supports__bso_id=bso_id)
        return self.filter(pk__in=Cluster.objects.filter(supporting).values("pk"))


class Cluster(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("country")
    )
    locality = models.CharField(_("locality"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=200, help_text=_("e.g. wine, garments"))
    sector_family = models.CharField(
        _("sector family"), max_length=30, choices=SectorFamily.choices
    )
    cluster_type = models.CharField(_("cluster type"), max_length=30, choices=ClusterType.choices)
    lifecycle_stage = models.CharField(
        _("life-cycle stage"), max_length=30, choices=LifecycleStage.choices
    )
    initiative_origin = models.CharField(
        _("initiative origin"), max_length=30, choices=InitiativeOrigin.choices
    )
    number_of_firms = models.PositiveIntegerField(_("number of firms"), default=0)
    employment = models.PositiveIntegerField(_("employment"), default=0)
    women_led_firms = models.PositiveIntegerField(_("women-led firms"), default=0)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints = [
            models.CheckConstraint(
                condition=Q(women_led_firms__lte=F("number_of_firms")),
                name="cluster_women_led_firms_within_firms",
                violation_error_message=_("Women-led firms cannot exceed the number of firms."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="cluster_coordinates_both_or_none",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="cluster_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="cluster_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cluster-detail", args=[self.pk])


class StakeholderType(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")
    BSO = "bso", _("Business support organisation")
    NGO = "ngo", _("NGO")
    ACADEMIA = "academia", _("Academia")


class Sex(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")


class SteeringCommittee(TimeStampedModel):
    """The body that governs a cluster and represents it toward the program."""

    cluster = models.OneToOneField(
        Cluster, on_delete=models.CASCADE, related_name="committee", verbose_name=_("cluster")
    )
    name = models.CharField(_("name"), max_length=200)
    established_on = models.DateField(_("established on"), null=True, blank=True)

    class Meta:
        ordering = ["cluster__name"]
        verbose_name = _("steering committee")
        verbose_name_plural = _("steering committees")

    def __str__(self):
        return self.name


class MemberQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(span_covers(on))


class AbstractCommitteeMember(TimeStampedModel):
    """A seat on a committee: a cluster's steering committee (CommitteeMember) or a program's
    strategic committee (programs.StrategicCommitteeMember), so both compositions (public vs
    private, women) read alike. Each concrete model keeps its table and its constraint's name:
    build it with `dates_in_order(name)`."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=10, choices=StakeholderType.choices
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    since = models.DateField(_("member since"))
    until = models.DateField(_("member until"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    @staticmethod
    def dates_in_order(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=Q(until__isnull=True) | Q(until__gte=F("since")),
            name=name,
            violation_error_message=_("The end date cannot be before the start date."),
        )


# What every seat holds, in the order serializers and admin forms list it.
MEMBER_FIELDS = ("name", "organisation", "stakeholder_type", "role", "sex", "since", "until")


class CommitteeMember(AbstractCommitteeMember):
    committee = models.ForeignKey(
        SteeringCommittee,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("committee"),
    )

    class Meta:
        ordering = ["committee", "name"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [AbstractCommitteeMember.dates_in_order("committee_member_dates_in_order")]


class Meeting(TimeStampedModel):
    committee = models.ForeignKey(
        SteeringCommittee,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("committee"),
    )
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        CommitteeMember, blank=True, related_name="meetings_attended", verbose_name=_("attendees")
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "held_on"], name="meeting_one_per_committee_and_day"
            ),
        ]

    def __str__(self):
        return f"{self.committee} — {self.held_on:%Y-%m-%d}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:80]


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS])


class ActionItem(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    committee = models.ForeignKey(
        SteeringCommittee,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("committee"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("agreed at meeting"),
    )
    title = models.CharField(_("title"), max_length=300)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("decision"),
        help_text=_("The decision this action carries out, if any."),
    )
    owner = models.ForeignKey(
        CommitteeMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.decision_id and self.meeting_id is None:
            self.meeting_id = self.decision.meeting_id  # agreed where it was decided
        if self.owner_id and self.committee_id and self.owner.committee_id != self.committee_id:
            errors["owner"] = _("The owner must be a member of the same committee.")
        if self.meeting_id and self.committee_id and self.meeting.committee_id != self.committee_id:
            errors["meeting"] = _("The meeting must belong to the same committee.")
        elif self.decision_id and self.decision.meeting_id != self.meeting_id:
            errors["decision"] = _("The decision must be one of the meeting's decisions.")
        if errors:
            raise ValidationError(errors)
