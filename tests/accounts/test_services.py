import pytest
from django.db import IntegrityError, transaction

from accounts import services
from accounts.errors import ApplicationError
from accounts.models import Membership, MembershipRole, Organisation, OrganisationType, Role
from tests.accounts.factories import PASSWORD, OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_organisation_create_makes_creator_the_owner():
    user = UserFactory()
    organisation = services.organisation_create(
        creator=user,
        name="Hợp tác xã Đồng Tâm",
        type=OrganisationType.COOPERATIVE,
        province="dong-thap",
    )
    assert organisation.slug == "hop-tac-xa-dong-tam"
    assert list(organisation.memberships.values_list("user_id", "role")) == [
        (user.pk, MembershipRole.OWNER)
    ]


def test_organisation_create_gives_distinct_slugs_for_the_same_name():
    user = UserFactory()
    first = services.organisation_create(creator=user, name="Công ty A", type="sme")
    second = services.organisation_create(creator=user, name="Công ty A", type="sme")
    assert first.slug == "cong-ty-a"
    assert second.slug.startswith("cong-ty-a-")
    assert second.slug != first.slug


def test_user_can_belong_to_several_organisations():
    user = UserFactory()
    services.organisation_create(creator=user, name="Viện A", type="institute")
    services.organisation_create(creator=user, name="Công ty B", type="enterprise")
    assert sorted(user.organisations.values_list("name", flat=True)) == ["Công ty B", "Viện A"]


def test_organisation_update_refuses_plain_members():
    organisation = OrganisationFactory(name="Cũ")
    member = member_of(organisation, role=MembershipRole.MEMBER)
    with pytest.raises(ApplicationError) as error:
        services.organisation_update(organisation=organisation, actor=member, name="Mới")
    assert error.value.code == "not_allowed"
    assert error.value.status == 403
    organisation.refresh_from_db()
    assert organisation.name == "Cũ"


def test_organisation_update_by_owner_and_by_moderator():
    organisation = OrganisationFactory(name="Cũ")
    owner = member_of(organisation)
    moderator = UserFactory(roles=[Role.MODERATOR])
    services.organisation_update(organisation=organisation, actor=owner, name="Mới")
    services.organisation_update(organisation=organisation, actor=moderator, website="https://a.vn")
    organisation.refresh_from_db()
    assert (organisation.name, organisation.website) == ("Mới", "https://a.vn")


def test_membership_add_by_owner_and_refusals():
    organisation = OrganisationFactory()
    owner = member_of(organisation)
    newcomer = UserFactory(email="moi@example.vn")
    membership = services.membership_add(
        organisation=organisation, actor=owner, email="MOI@example.vn"
    )
    assert (membership.user_id, membership.role) == (newcomer.pk, MembershipRole.MEMBER)

    with pytest.raises(ApplicationError) as again:
        services.membership_add(organisation=organisation, actor=owner, email="moi@example.vn")
    assert (again.value.code, again.value.status) == ("already_member", 409)

    with pytest.raises(ApplicationError) as unknown:
        services.membership_add(organisation=organisation, actor=owner, email="ai@example.vn")
    assert unknown.value.code == "unknown_user"

    with pytest.raises(ApplicationError) as not_owner:
        services.membership_add(organisation=organisation, actor=newcomer, email=owner.email)
    assert (not_owner.value.code, not_owner.value.status) == ("not_allowed", 403)
    assert organisation.memberships.count() == 2


def test_membership_remove_keeps_the_last_owner():
    organisation = OrganisationFactory()
    owner = member_of(organisation)
    membership = Membership.objects.get(user=owner, organisation=organisation)
    with pytest.raises(ApplicationError) as error:
        services.membership_remove(membership=membership, actor=owner)
    assert (error.value.code, error.value.status) == ("last_owner", 409)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_remove_member_may_leave_but_not_remove_others():
    organisation = OrganisationFactory()
    owner = member_of(organisation)
    first = member_of(organisation, role=MembershipRole.MEMBER)
    second = member_of(organisation, role=MembershipRole.MEMBER)
    second_membership = Membership.objects.get(user=second)
    with pytest.raises(ApplicationError):
        services.membership_remove(membership=second_membership, actor=first)
    services.membership_remove(membership=Membership.objects.get(user=first), actor=first)
    assert sorted(organisation.memberships.values_list("user_id", flat=True)) == sorted(
        [owner.pk, second.pk]
    )


def test_user_set_roles_grants_groups_and_staff_status():
    user = UserFactory()
    services.user_set_roles(user=user, roles={Role.MODERATOR})
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["moderator"]
    assert user.is_staff is True
    services.user_set_roles(user=user, roles={Role.EXHIBITOR_STAFF})
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["exhibitor_staff"]
    assert user.is_staff is False


def test_user_set_roles_rejects_unknown_role():
    with pytest.raises(ApplicationError) as error:
        services.user_set_roles(user=UserFactory(), roles={"king"})
    assert error.value.code == "unknown_role"


def test_token_obtain_returns_the_same_token_each_time():
    user = UserFactory(email="a@example.vn")
    first = services.token_obtain(email="A@example.vn ", password=PASSWORD)
    second = services.token_obtain(email="a@example.vn", password=PASSWORD)
    assert first.key == second.key
    assert first.user_id == user.pk


@pytest.mark.parametrize(
    ("email", "password"), [("a@example.vn", "sai-mat-khau"), ("khong-co@example.vn", PASSWORD)]
)
def test_token_obtain_gives_one_message_whether_or_not_the_email_exists(email, password):
    UserFactory(email="a@example.vn")
    with pytest.raises(ApplicationError) as error:
        services.token_obtain(email=email, password=password)
    assert error.value.code == "invalid_credentials"


def test_organisation_tax_code_is_unique_but_may_be_blank():
    OrganisationFactory(tax_code="")
    OrganisationFactory(tax_code="")
    OrganisationFactory(tax_code="0101")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(tax_code="0101")
    assert Organisation.objects.filter(tax_code="").count() == 2
