"""Users, their role and the anchor of their scope (a BSO, programs, a country or a region)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from bsos.models import BSO
from clusters.models import Country, Region
from core.history.records import AuditTrail
from programs.models import Program


class Role(models.TextChoices):
    BSO_STAFF = "bso_staff", _("BSO staff")
    PROGRAM_OFFICER = "program_officer", _("Program officer")
    MINISTRY = "ministry", _("Ministry")
    REGIONAL = "regional", _("Regional body")
    ADMIN = "admin", _("Administrator")


# The roles that set targets at some level besides administrators (accounts.scopes.target_units).
TARGET_SETTING_ROLES = frozenset({Role.PROGRAM_OFFICER, Role.MINISTRY, Role.REGIONAL})


class NotificationEmail(models.TextChoices):
    """How a user hears of their notifications by e-mail (notifications/)."""

    IMMEDIATE = "immediate", _("At once: one e-mail per event")
    DAILY = "daily", _("Once a day: a digest of the day's notifications")


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

    notification_email = models.CharField(
        _("notification e-mails"),
        max_length=10,
        choices=NotificationEmail.choices,
        default=NotificationEmail.IMMEDIATE,
    )
    # The language the user last chose with the switcher: their e-mails are written in it.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the user's e-mails; blank: the site's."),
    )
    # How many of the user's notifications are unread: kept by notifications.services in the
    # transaction that writes or reads them, so that the header's bell costs no query.
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, editable=False
    )

    # Who gave whom which role and scope; sign-ins and password hashes are not history.
    history = AuditTrail(
        excluded_fields=["password", "last_login", "unread_notifications", "language"],
        m2m_fields=[programs],
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

    @property
    def sets_targets(self) -> bool:
        """Does the role set targets at some level (accounts.scopes.target_units says where)?"""
        return self.is_admin_role or self.role in TARGET_SETTING_ROLES

    @property
    def needs_two_factor(self) -> bool:
        """Administrators, and anyone who may open the admin site, sign in with a code too."""
        return self.is_admin_role or self.is_staff

    def _get_session_auth_hash(self, secret=None):
        # Django ends a session whose stored hash no longer matches. Sessions of users who sign
        # in with two factors carry a hash of their own, so that a session opened with the
        # password alone (before two-factor sign-in existed, or before the user became an
        # administrator) ends, and its owner signs in again with a code.
        digest = super()._get_session_auth_hash(secret=secret)
        if not self.needs_two_factor:
            return digest
        return salted_hmac(
            "accounts.User.two_factor_session", digest, secret=secret, algorithm="sha256"
        ).hexdigest()


class ApiToken(models.Model):
    """An API token, kept as the SHA-256 digest of its key (the key is shown once, at issue).

    The key is 32 random bytes, so a plain digest is enough (a slow password hash would cost
    every request half a second). The token also keeps a fingerprint of its user's password
    hash at issue: any new password (a change, a reset, the admin, a re-hash) retires it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("prefix"),
        max_length=8,
        editable=False,
        help_text=_("The key's first characters, to recognise it."),
    )
    password_fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="api_token_expires_after_issue"
            ),
        ]

    def __str__(self):
        return f"{self.prefix}…"
