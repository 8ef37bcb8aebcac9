"""Fill the database with the Vietnamese demo. Each app that has demo data keeps it in
`<app>/demo.py` as `seed(*, stdout, style)`; they run in INSTALLED_APPS order, so the lower
apps' data is there when the higher ones need it. Running it again changes nothing."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the Vietnamese demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options) -> None:
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(stdout=self.stdout, style=self.style)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
