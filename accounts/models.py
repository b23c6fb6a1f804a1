"""Users, their role and the anchor of their scope (a BSO, programs, a country or a region)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bsos.models import BSO
from clusters.models import Country, Region
from programs.models import Program


class Role(models.TextChoices):
    BSO_STAFF = "bso_staff", _("BSO staff")
    PROGRAM_OFFICER = "program_officer", _("Program officer")
    MINISTRY = "ministry", _("Ministry")
    REGIONAL = "regional", _("Regional body")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    bso = models.ForeignKey(
        BSO,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("BSO"),
        help_text=_("For BSO staff: the organisation they work for."),
    )
    programs = models.ManyToManyField(
        Program,
        blank=True,
        related_name="officers",
        verbose_name=_("programs"),
        help_text=_("For program officers: the programs they look after."),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
        help_text=_("For ministry users: their country."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("For regional users: their region."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.BSO_STAFF) | Q(bso__isnull=False),
                name="user_bso_staff_has_bso",
                violation_error_message=_("BSO staff must belong to a BSO."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.MINISTRY) | Q(country__isnull=False),
                name="user_ministry_has_country",
                violation_error_message=_("Ministry users must have a country."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.REGIONAL) | Q(region__isnull=False),
                name="user_regional_has_region",
                violation_error_message=_("Regional users must have a region."),
            ),
        ]

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN
