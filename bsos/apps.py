from django.apps import AppConfig


class BsosConfig(AppConfig):
    name = "bsos"
