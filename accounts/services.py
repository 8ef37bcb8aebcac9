from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from . import permissions
from .errors import ApplicationError
from .models import Membership, MembershipRole, Organisation, Role, User
from .roles import STAFF_ROLES

PROFILE_FIELDS = ("full_name", "phone", "preferred_language", "province")
ORGANISATION_FIELDS = (
    "name",
    "type",
    "tax_code",
    "province",
    "website",
    "description",
    "logo",
)


def user_profile_update(*, user: User, **fields) -> User:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    return user


@transaction.atomic
def user_set_roles(*, user: User, roles: set[str]) -> User:
    """Grant exactly `roles` (besides the implicit member role). Staff status follows roles that
    work in the admin site, unless the user is a superuser."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ApplicationError("unknown_role", _("Unknown role."))
    managed = [role for role in Role.values if role != Role.MEMBER]
    groups = {group.name: group for group in Group.objects.filter(name__in=managed)}
    for role in managed:
        group = groups.get(role) or Group.objects.get_or_create(name=role)[0]
        if role in roles:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    if not user.is_superuser:
        user.is_staff = bool(set(roles) & STAFF_ROLES)
        user.save(update_fields=["is_staff"])
    user._role_cache = None
    return user


def _unique_slug(name: str) -> str:
    base = slugify(name.replace("đ", "d").replace("Đ", "D"))[:200] or "to-chuc"
    slug = base
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4).lower()}"
    return slug


def _without_cleared_logo(fields: dict) -> dict:
    # A form's "clear" checkbox on a file field yields False; the model stores "" for no file.
    if fields.get("logo") is False:
        return {**fields, "logo": ""}
    return fields


@transaction.atomic
def organisation_create(*, creator: User, name: str, type: str, **fields) -> Organisation:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Not organisation fields: {sorted(unknown)}")
    fields = _without_cleared_logo(fields)
    organisation = Organisation(name=name.strip(), type=type, slug=_unique_slug(name), **fields)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=creator, organisation=organisation, role=MembershipRole.OWNER)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **fields) -> Organisation:
    if not permissions.can_edit_organisation(actor, organisation):
        raise ApplicationError(
            "not_allowed", _("Only the organisation's owners may edit it."), status=403
        )
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Not organisation fields: {sorted(unknown)}")
    for name, value in _without_cleared_logo(fields).items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, actor: User, email: str, role: str = MembershipRole.MEMBER
) -> Membership:
    if not permissions.can_manage_members(actor, organisation):
        raise ApplicationError(
            "not_allowed", _("Only the organisation's owners may add members."), status=403
        )
    if role not in MembershipRole.values:
        raise ApplicationError("invalid_role", _("Unknown membership role."))
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ApplicationError(
            "unknown_user",
            _("No account uses this email address. Ask the person to sign up first."),
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not created:
        raise ApplicationError("already_member", _("This person is already a member."), status=409)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    if not (permissions.can_manage_members(actor, organisation) or membership.user_id == actor.pk):
        raise ApplicationError("not_allowed", _("You may not remove this member."), status=403)
    if membership.role == MembershipRole.OWNER:
        owners = organisation.memberships.filter(role=MembershipRole.OWNER).count()
        if owners <= 1:
            raise ApplicationError(
                "last_owner",
                _("An organisation needs at least one owner. Name another owner first."),
                status=409,
            )
    membership.delete()


def token_obtain(*, email: str, password: str, request=None) -> Token:
    """The API token of the account with these credentials. The error never says whether the
    email exists, so the endpoint cannot be used to probe for accounts."""
    user = authenticate(request, email=(email or "").strip().lower(), password=password or "")
    if user is None or not user.is_active:
        raise ApplicationError(
            "invalid_credentials",
            _("Unable to sign in with the email address and password provided."),
        )
    token, _created = Token.objects.get_or_create(user=user)
    return token
