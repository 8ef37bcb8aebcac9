from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import ensure_role_groups
        from .sites import ensure_site

        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
        post_migrate.connect(ensure_site, dispatch_uid="accounts.ensure_site")
