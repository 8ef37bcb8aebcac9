"""People you should meet: the matching engine ranks other participants' listings against
mine, with the engine's reasons; filters by sector, province and participant type."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import TicketType
from events.selectors_meetings import suggested_partners
from marketplace.taxonomy import Sector
from matching import runtime
from tests.matching.factories import indexed_offer, indexed_request

from .factories import meeting_programme_with_slots, opted_in_participant

pytestmark = pytest.mark.django_db

DRYER = {
    "title": "Máy sấy lúa tháp tuần hoàn đốt trấu 12 tấn/mẻ",
    "description": "Máy sấy lúa, bắp hạt; lò đốt trấu tự động, không ám khói.",
    "sector": Sector.POST_HARVEST,
}
DRYER_NEED = {
    "title": "can may say lua cho htx mua mua",
    "description": "lua cat ve phoi khong kip bi nay mam, can may say lua dot trau",
    "sector": Sector.POST_HARVEST,
}
BACKGROUND = [
    ("Phần mềm kế toán cho hợp tác xã", Sector.ICT),
    ("Giống cỏ lai chịu hạn cho bò sữa", Sector.LIVESTOCK),
    ("Máy cắt plasma CNC cho xưởng cơ khí", Sector.MECHANICAL),
    ("Chế phẩm vi sinh xử lý đáy ao nuôi tôm", Sector.AQUACULTURE),
]


@pytest.fixture(autouse=True)
def _fresh_engine():
    runtime.reset()
    yield
    runtime.reset()


@pytest.fixture
def programme(edition, organiser):
    for title, sector in BACKGROUND:
        indexed_offer(title=title, description=title, sector=sector)
        indexed_request(title=f"Cần {title.lower()}", description=title, sector=sector)
    return meeting_programme_with_slots(edition, organiser)


def test_suggested_partners_ranked_by_engine_with_reasons(edition, programme):
    farmer = opted_in_participant(edition)
    need = indexed_request(organisation=farmer.organisation, **DRYER_NEED)
    farmer.requests.set([need])
    maker = opted_in_participant(edition, ticket_type=TicketType.EXHIBITOR_STAFF)
    indexed_offer(organisation=maker.organisation, **DRYER)
    bystander = opted_in_participant(edition)
    with translation.override("vi"):
        people = suggested_partners(farmer, user=farmer.user, language="vi")
    assert [p.participant for p in people] == [maker]
    assert people[0].score > 0
    assert people[0].reasons[0].startswith(f"{need.title} ↔ {DRYER['title']}: ")
    assert bystander not in [p.participant for p in people]


def test_suggested_partners_filters(edition, programme):
    me = opted_in_participant(edition, sectors=["agriculture"])
    near = opted_in_participant(edition, sectors=["agriculture"])
    far = opted_in_participant(edition, sectors=["agriculture", "ict"])
    type(near).objects.filter(pk=near.pk).update(province="dong-nai")
    type(far).objects.filter(pk=far.pk).update(province="ha-noi")
    with translation.override("vi"):
        everyone = suggested_partners(me, user=me.user, language="vi")
    assert sorted(p.participant.pk for p in everyone) == sorted([near.pk, far.pk])
    assert [p.reasons for p in everyone] == [["Trồng trọt"], ["Trồng trọt"]]
    by_province = suggested_partners(me, user=me.user, language="vi", province="ha-noi")
    assert [p.participant.pk for p in by_province] == [far.pk]
    by_sector = suggested_partners(me, user=me.user, language="vi", sector="ict")
    assert [p.participant.pk for p in by_sector] == [far.pk]


@pytest.mark.parametrize("count", [1, 5])
def test_suggestions_page_query_count_constant(
    client, edition, programme, count, django_assert_num_queries
):
    me = opted_in_participant(edition, sectors=["agriculture"])
    for _ in range(count):
        opted_in_participant(edition, sectors=["agriculture"])
    client.force_login(me.user)
    page = reverse("events:meetings_suggestions", args=[edition.slug])
    with django_assert_num_queries(15):
        response = client.get(page)
    assert len(re.findall(r'data-participant-id="', response.content.decode())) == count
