from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BsosConfig(AppConfig):
    name = "bsos"
    verbose_name = _("Business support organisations")  # the admin's section heading
