"""Fill the database with the Vietnamese demo. Each app that has demo data keeps it in
`<app>/demo.py` as `seed(*, stdout, style)`; they run in INSTALLED_APPS order, so the lower
apps' data is there when the higher ones need it. Running it again changes nothing.

An app's demo module may also define `summary(*, site_url) -> list[str]`: the lines a newcomer
needs (addresses, logins). They are printed last, after a quiet seed; `-v 2` shows the details
and the e-mails the seed would send."""

import logging
from importlib import import_module
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, OutputWrapper
from django.db import transaction
from django.test.utils import override_settings


class Command(BaseCommand):
    help = "Create the Vietnamese demo data (idempotent) and print where to start."

    def handle(self, *args, **options) -> None:
        verbose = options["verbosity"] >= 2
        details = self.stdout if verbose else OutputWrapper(StringIO())
        modules = list(self._demo_modules())
        quiet = (
            {} if verbose else {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        )
        previous_disable = logging.root.manager.disable
        if not verbose:
            # Eager tasks log every run and e-mails would print whole: keep the summary visible.
            logging.disable(logging.WARNING)
        try:
            with override_settings(
                **quiet, SMS_URL="locmem://" if not verbose else settings.SMS_URL
            ):
                for module in modules:
                    with transaction.atomic():
                        module.seed(stdout=details, style=self.style)
        finally:
            logging.disable(previous_disable)
        self._summary(modules)

    def _demo_modules(self):
        for app_config in apps.get_app_configs():
            try:
                yield import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise

    def _summary(self, modules) -> None:
        site_url = settings.SITE_URL.rstrip("/")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Techmart demo is ready: {site_url}/"))
        # Higher apps first, so the logins (accounts) come last, where a newcomer looks.
        for module in reversed(modules):
            summary = getattr(module, "summary", None)
            if summary is not None:
                for line in summary(site_url=site_url):
                    self.stdout.write(line)
