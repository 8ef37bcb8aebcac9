import pytest

from accounts.models import Role
from tests.accounts.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_moderator_works_in_the_admin(client):
    OrganisationFactory(name="Viện Lúa")
    client.force_login(UserFactory(roles=[Role.MODERATOR]))
    assert client.get("/admin/").status_code == 200
    changelist = client.get("/admin/accounts/organisation/")
    assert changelist.status_code == 200
    assert "Viện Lúa" in changelist.content.decode()


def test_ordinary_member_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_organiser_cannot_change_organisations_in_the_admin(client):
    client.force_login(UserFactory(roles=[Role.ORGANISER]))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/organisation/").status_code == 403
