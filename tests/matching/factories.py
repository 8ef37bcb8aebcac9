import factory

from marketplace.models import Offer, Request
from matching.models import Feedback, SavedSearch, Verdict
from matching.services import listing_index
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.marketplace.factories import OfferFactory, RequestFactory

# Unrelated listings from five sectors, so that word rarity in a test is as it would be on the
# exchange rather than in a catalogue of one or two listings.
BACKGROUND = [
    ("Phần mềm kế toán cho hợp tác xã", "ict"),
    ("Giống cỏ lai chịu hạn cho bò sữa", "livestock"),
    ("Bể lọc nước giếng nhiễm phèn cho hộ gia đình", "environment"),
    ("Máy cắt plasma CNC cho xưởng cơ khí", "mechanical"),
    ("Chế phẩm vi sinh xử lý đáy ao nuôi tôm", "aquaculture"),
]


def index_background(*, requests: bool = True) -> None:
    """Index the BACKGROUND listings as offers (and as requests, unless told not to)."""
    for title, sector in BACKGROUND:
        indexed_offer(title=title, description=title, sector=sector)
        if requests:
            indexed_request(title=f"Cần {title.lower()}", description=title, sector=sector)


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
