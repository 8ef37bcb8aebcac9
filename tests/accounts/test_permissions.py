"""Who may and may not do what: every row of this table is a decision of accounts.permissions."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import permissions
from accounts.models import MembershipRole, Role
from tests.accounts.factories import OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    organisation = OrganisationFactory()
    other = OrganisationFactory()
    return {
        "organisation": organisation,
        "anonymous": AnonymousUser(),
        "stranger": UserFactory(),
        "owner": member_of(organisation, role=MembershipRole.OWNER),
        "member": member_of(organisation, role=MembershipRole.MEMBER),
        "other_owner": member_of(other, role=MembershipRole.OWNER),
        "moderator": UserFactory(roles=[Role.MODERATOR]),
        "organiser": UserFactory(roles=[Role.ORGANISER]),
        "exhibitor_staff": UserFactory(roles=[Role.EXHIBITOR_STAFF]),
        "inactive_moderator": UserFactory(roles=[Role.MODERATOR], is_active=False),
    }


ORGANISATION_RULES = {
    # person: (edit, manage members, act for it)
    "anonymous": (False, False, False),
    "stranger": (False, False, False),
    "owner": (True, True, True),
    "member": (False, False, True),
    "other_owner": (False, False, False),
    "moderator": (True, True, False),
    "organiser": (False, False, False),
    "exhibitor_staff": (False, False, False),
    "inactive_moderator": (False, False, False),
}


@pytest.mark.parametrize("person", sorted(ORGANISATION_RULES))
def test_organisation_permissions(people, person):
    user, organisation = people[person], people["organisation"]
    assert (
        permissions.can_edit_organisation(user, organisation),
        permissions.can_manage_members(user, organisation),
        permissions.can_act_for_organisation(user, organisation),
    ) == ORGANISATION_RULES[person]


ROLE_RULES = {
    # person: (moderate listings, view statistics, organise fairs, scan tickets)
    "anonymous": (False, False, False, False),
    "stranger": (False, False, False, False),
    "owner": (False, False, False, False),
    "moderator": (True, True, False, False),
    "organiser": (False, False, True, True),
    "exhibitor_staff": (False, False, False, True),
    "inactive_moderator": (False, False, False, False),
}


@pytest.mark.parametrize("person", sorted(ROLE_RULES))
def test_role_permissions(people, person):
    user = people[person]
    assert (
        permissions.can_moderate_listings(user),
        permissions.can_view_statistics(user),
        permissions.can_organise_fairs(user),
        permissions.can_scan_tickets(user),
    ) == ROLE_RULES[person]


def test_superuser_holds_every_role():
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert permissions.user_roles(admin) == ["member", "moderator", "organiser", "exhibitor_staff"]


def test_user_roles_lists_granted_roles():
    user = UserFactory(roles=[Role.ORGANISER, Role.EXHIBITOR_STAFF])
    assert permissions.user_roles(user) == ["member", "organiser", "exhibitor_staff"]
    assert permissions.user_roles(AnonymousUser()) == []


def test_moderator_group_carries_admin_permissions_for_organisations():
    moderator = UserFactory(roles=[Role.MODERATOR])
    assert moderator.has_perm("accounts.change_organisation") is True
    assert moderator.has_perm("accounts.delete_membership") is True
    organiser = UserFactory(roles=[Role.ORGANISER])
    assert organiser.has_perm("accounts.change_organisation") is False
