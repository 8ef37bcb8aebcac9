import pytest
from django.urls import reverse

from accounts.models import User
from marketplace.taxonomy import ListingStatus

from .factories import ExpertFactory, OfferFactory, RequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser(email="quantri@example.vn", password="x")
    client.force_login(user)
    return client


def test_admin_pages_of_the_exchange_render(admin_client):
    offer = OfferFactory()
    RequestFactory()
    ExpertFactory()

    for name in ("offer", "request", "inquiry", "deal", "expert", "intermediary"):
        response = admin_client.get(reverse(f"admin:marketplace_{name}_changelist"))
        assert response.status_code == 200
    response = admin_client.get(reverse("admin:marketplace_offer_change", args=[offer.pk]))
    assert response.status_code == 200


def test_admin_approve_action_publishes_pending_listings(admin_client, mailoutbox):
    pending = OfferFactory(pending=True)
    published = OfferFactory()

    admin_client.post(
        reverse("admin:marketplace_offer_changelist"),
        {"action": "approve", "_selected_action": [pending.pk, published.pk]},
    )

    pending.refresh_from_db()
    assert pending.status == ListingStatus.PUBLISHED
    assert len(mailoutbox) == 0  # the factory's organisation has no members to tell
