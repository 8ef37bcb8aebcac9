"""Who may do what. Every role and organisation check of the platform is decided here; views,
APIs and services ask these functions rather than testing groups or flags themselves."""

from rest_framework.permissions import BasePermission

from .models import Membership, MembershipRole, Organisation, Role, User


def _roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_cache = cached
    return cached


def user_roles_prime(user, roles: set[str]) -> None:
    """Record the user's platform roles when a selector has already read them in its own query
    (the gate's scan does), so has_role doesn't ask the database again in this request."""
    if getattr(user, "is_authenticated", False):
        user._role_cache = set(roles)


def has_role(user, role: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if role == Role.MEMBER:
        return True
    return user.is_superuser or role in _roles(user)


def user_roles(user) -> list[str]:
    return [role for role in Role.values if has_role(user, role)]


def is_moderator(user) -> bool:
    return has_role(user, Role.MODERATOR)


def is_organiser(user) -> bool:
    return has_role(user, Role.ORGANISER)


def is_exhibitor_staff(user) -> bool:
    return has_role(user, Role.EXHIBITOR_STAFF)


def membership_of(user, organisation: Organisation) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def is_member_of(user, organisation: Organisation) -> bool:
    return membership_of(user, organisation) is not None


def is_owner_of(user, organisation: Organisation) -> bool:
    membership = membership_of(user, organisation)
    return membership is not None and membership.role == MembershipRole.OWNER


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return is_owner_of(user, organisation) or is_moderator(user)


def can_manage_members(user, organisation: Organisation) -> bool:
    return is_owner_of(user, organisation) or is_moderator(user)


def can_act_for_organisation(user, organisation: Organisation) -> bool:
    """Post listings, answer inquiries, apply to exhibit on behalf of the organisation."""
    return is_member_of(user, organisation)


def can_moderate_listings(user) -> bool:
    return is_moderator(user)


def can_view_statistics(user) -> bool:
    return is_moderator(user)


def can_organise_fairs(user) -> bool:
    return is_organiser(user)


def can_scan_tickets(user) -> bool:
    return is_organiser(user) or is_exhibitor_staff(user)


def can_assign_roles(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False))


class IsModerator(BasePermission):
    def has_permission(self, request, view) -> bool:
        return is_moderator(request.user)


class IsOrganiser(BasePermission):
    def has_permission(self, request, view) -> bool:
        return is_organiser(request.user)
