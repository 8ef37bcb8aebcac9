from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import MembershipRole
from marketplace.models import Deal, Expert, Inquiry, Intermediary, Message, Offer, Request
from marketplace.services import expert_refresh_search, listing_refresh_search
from marketplace.taxonomy import DealType, IntermediaryKind, ListingStatus, Sector
from tests.accounts.factories import OrganisationFactory, UserFactory, member_of


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Công nghệ số {n}")
    summary = "Tóm tắt ngắn."
    description = "Mô tả chi tiết công nghệ."
    sector = Sector.AGRICULTURE
    keywords = factory.LazyFunction(list)
    province = "dong-nai"
    status = ListingStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(
        lambda o: o.published_at + timedelta(days=365) if o.published_at else None
    )

    @factory.post_generation
    def search(obj, create, extracted, **kwargs):
        listing_refresh_search(obj)
        if create:
            obj.save()

    class Params:
        draft = factory.Trait(status=ListingStatus.DRAFT, published_at=None, expires_at=None)
        pending = factory.Trait(
            status=ListingStatus.PENDING_REVIEW,
            published_at=None,
            expires_at=None,
            submitted_at=factory.LazyFunction(timezone.now),
        )


class OfferFactory(ListingFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"TEST-O-{n:05d}")
    trl = 7
    price_vnd = 100_000_000


class RequestFactory(ListingFactory):
    class Meta:
        model = Request
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"TEST-R-{n:05d}")
    budget_vnd = 50_000_000


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    offer = factory.SubFactory(OfferFactory)
    listing_organisation = factory.LazyAttribute(lambda o: o.offer.organisation)
    initiator_organisation = factory.SubFactory(OrganisationFactory)
    sector = factory.LazyAttribute(lambda o: o.offer.sector)
    province = factory.LazyAttribute(lambda o: o.offer.province)
    last_message_at = factory.LazyFunction(timezone.now)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    inquiry = factory.SubFactory(InquiryFactory)
    author_organisation = factory.LazyAttribute(lambda o: o.inquiry.initiator_organisation)
    body = "Xin chào, chúng tôi quan tâm."


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    inquiry = factory.SubFactory(InquiryFactory)
    type = DealType.LICENCE
    value_vnd = 100_000_000
    signed_on = factory.LazyFunction(lambda: timezone.localdate())
    recorded_by_organisation = factory.LazyAttribute(lambda o: o.inquiry.initiator_organisation)
    confirmed_at = factory.LazyFunction(timezone.now)
    sector = factory.LazyAttribute(lambda o: o.inquiry.sector)
    province = factory.LazyAttribute(lambda o: o.inquiry.province)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"TS. Trần Văn {n}")
    title = "Tiến sĩ"
    fields = factory.LazyFunction(lambda: [Sector.AGRICULTURE])
    expertise = "Canh tác lúa chịu mặn."
    province = "can-tho"
    email = factory.Sequence(lambda n: f"chuyengia{n}@example.vn")

    @factory.post_generation
    def search(obj, create, extracted, **kwargs):
        expert_refresh_search(obj)
        if create:
            obj.save()


class IntermediaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intermediary

    organisation = factory.SubFactory(OrganisationFactory)
    kind = IntermediaryKind.BROKER
    services = "Môi giới chuyển giao công nghệ."
    sectors = factory.LazyFunction(lambda: [Sector.AGRICULTURE])


def seller_and_offer(**offer_kwargs):
    """An organisation with one owner and one offer of theirs."""
    organisation = OrganisationFactory()
    seller = member_of(organisation, MembershipRole.OWNER)
    offer = OfferFactory(organisation=organisation, **offer_kwargs)
    return seller, offer


__all__ = ["UserFactory", "member_of"]
