"""Platform roles are Django groups, so the admin's model permissions follow them.

Which models each role may manage is listed here by app label, not by import, so accounts stays
the lowest app: the groups are refreshed after every migrate, when the higher apps' models exist."""

from django.contrib.auth.models import Group, Permission

from .models import Role

# role -> model permissions it carries, as "app_label" (all models) or "app_label.model".
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.MODERATOR: [
        "accounts.organisation",
        "accounts.membership",
        "accounts.user",
        "account.emailaddress",
        "marketplace",
        "matching",
    ],
    Role.ORGANISER: ["events"],
    Role.EXHIBITOR_STAFF: [],
}

# Roles whose holders work in the admin site.
STAFF_ROLES = {Role.MODERATOR, Role.ORGANISER}


def _permissions_for(specs: list[str]):
    permissions = Permission.objects.none()
    for spec in specs:
        app_label, _dot, model = spec.partition(".")
        query = Permission.objects.filter(content_type__app_label=app_label)
        if model:
            query = query.filter(content_type__model=model)
        permissions = permissions | query
    return permissions


def ensure_role_groups(**_kwargs) -> None:
    for role, specs in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(specs))
