import pytest

from accounts.models import MembershipRole, Role
from tests.accounts.factories import OrganisationFactory, UserFactory, member_of


@pytest.fixture
def moderator():
    return UserFactory(roles=[Role.MODERATOR], email="kiemduyet@example.vn")


@pytest.fixture
def seller_org():
    return OrganisationFactory(name="Công ty Cơ khí Phú Điền", type="sme")


@pytest.fixture
def seller(seller_org):
    return member_of(seller_org, MembershipRole.OWNER, email="nguoiban@example.vn")


@pytest.fixture
def buyer_org():
    return OrganisationFactory(name="Hợp tác xã Tân Phú", type="cooperative")


@pytest.fixture
def buyer(buyer_org):
    return member_of(buyer_org, MembershipRole.OWNER, email="nguoimua@example.vn")


@pytest.fixture
def outsider():
    return member_of(OrganisationFactory(), MembershipRole.OWNER, email="nguoingoai@example.vn")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Code outside a request speaks the default language, whatever an earlier test (or the
    locale middleware in this thread) activated."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
