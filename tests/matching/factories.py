import factory

from marketplace.models import Offer, Request
from matching.models import Feedback, SavedSearch, Verdict
from matching.services import listing_index
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.marketplace.factories import OfferFactory, RequestFactory


def indexed_offer(**kwargs) -> Offer:
    offer = OfferFactory(**kwargs)
    listing_index(listing=offer)
    return offer


def indexed_request(**kwargs) -> Request:
    request = RequestFactory(**kwargs)
    listing_index(listing=request)
    return request


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    organisation = factory.SubFactory(OrganisationFactory)
    offer = factory.SubFactory(OfferFactory)
    request = factory.SubFactory(RequestFactory)
    verdict = Verdict.USEFUL


class SavedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedSearch

    user = factory.SubFactory(UserFactory)
    query = "máy sấy lúa"


__all__ = [
    "FeedbackFactory",
    "OfferFactory",
    "RequestFactory",
    "SavedSearchFactory",
    "indexed_offer",
    "indexed_request",
]
