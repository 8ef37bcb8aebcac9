"""The exchange's demo: the project's own listings (fixtures/demo_listings.jsonl, in the exchange
format), a few threads with confirmed deals so the Department's dashboard has figures, and the
expert and intermediary directories. Running it again changes nothing."""

import datetime
from pathlib import Path

from django.utils import timezone

from accounts.models import Membership, MembershipRole, Organisation, OrganisationType, User

from .exchange import parse_lines
from .models import Deal, Expert, Inquiry, Intermediary, Message, Offer, Request
from .services import expert_refresh_search, listings_import
from .taxonomy import DealType, InquiryState, IntermediaryKind, ListingStatus, Sector

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_listings.jsonl"

# (listing external id, interested organisation slug, messages as (listing side?, text),
#  deal as (type, value in đồng, date signed, confirmed) or None)
THREADS = [
    (
        "DEMO-O-001",
        "htx-nong-nghiep-tan-phu",
        [
            (False, "HTX chúng tôi cần máy sấy 8–10 tấn/mẻ cho vụ Hè Thu. Giá đã gồm lắp đặt?"),
            (True, "Giá đã gồm lắp đặt và 2 buổi hướng dẫn vận hành tại HTX."),
            (False, "Mời công ty xuống khảo sát sân kho tuần sau."),
        ],
        (DealType.EQUIPMENT, 310_000_000, datetime.date(2026, 5, 20), True),
    ),
    (
        "DEMO-O-004",
        "htx-nong-nghiep-tan-phu",
        [(False, "Xin tài liệu giống lúa chịu mặn và lịch tập huấn."), (True, "Đã gửi tài liệu.")],
        (DealType.LICENCE, 150_000_000, datetime.date(2025, 9, 10), True),
    ),
    (
        "DEMO-O-007",
        "ho-nong-dan-nguyen-van-ba",
        [(False, "Tôi nuôi 200 heo, chuồng lạnh có làm nhỏ được không?"), (True, "Được ạ.")],
        (DealType.EQUIPMENT, 180_000_000, datetime.date(2025, 4, 2), True),
    ),
    (
        "DEMO-O-006",
        "htx-nong-nghiep-tan-phu",
        [(False, "Chế phẩm dùng cho 300 ha thì cần bao nhiêu?")],
        (DealType.TRAINING, 45_000_000, datetime.date(2024, 11, 15), True),
    ),
    (
        "DEMO-O-016",
        "ho-nong-dan-nguyen-van-ba",
        [(False, "Hầm biogas 20 m³ có đủ cho 200 heo không?"), (True, "Cần khoảng 40 m³.")],
        (DealType.EQUIPMENT, 95_000_000, datetime.date(2024, 6, 3), True),
    ),
    (
        "DEMO-O-024",
        "cong-ty-co-khi-dong-nai",
        [(False, "Chúng tôi muốn mua quyền sản xuất kit LAMP."), (True, "Mời anh chị họp.")],
        (DealType.IP_SALE, 600_000_000, datetime.date(2026, 2, 14), True),
    ),
    (
        "DEMO-O-002",
        "ho-nong-dan-nguyen-van-ba",
        [(False, "May say bom nhiet co say duoc mit khong?")],
        (DealType.EQUIPMENT, 240_000_000, datetime.date(2026, 8, 1), False),
    ),
    ("DEMO-O-022", "htx-nong-nghiep-tan-phu", [(False, "Xin báo giá cho 80 xã viên.")], None),
    (
        "DEMO-R-001",
        "vien-co-dien-nong-nghiep-mien-nam",
        [(False, "Viện có máy sấy vỉ ngang 8 tấn phù hợp, mời HTX tham quan mô hình.")],
        None,
    ),
    (
        "DEMO-R-003",
        "dai-hoc-can-tho",
        [(False, "Trường có thể tư vấn đệm lót sinh học cho trại 200 heo.")],
        (DealType.CONSULTING, 30_000_000, datetime.date(2025, 12, 5), True),
    ),
]

EXPERTS = [
    (
        "le.thanh.son@example.vn",
        "Lê Thanh Sơn",
        "PGS. TS.",
        [Sector.POST_HARVEST, Sector.MECHANICAL],
        "vien-co-dien-nong-nghiep-mien-nam",
        "tp-ho-chi-minh",
        "Thiết kế máy sấy nông sản, lò đốt trấu và dây chuyền chế biến sau thu hoạch; "
        "hơn 20 năm chuyển giao máy sấy cho hợp tác xã vùng Đồng bằng sông Cửu Long.",
    ),
    (
        "tran.thi.hanh@example.vn",
        "Trần Thị Hạnh",
        "TS.",
        [Sector.AGRICULTURE, Sector.BIOTECH],
        "dai-hoc-can-tho",
        "can-tho",
        "Chọn tạo giống lúa chịu mặn, canh tác thích ứng biến đổi khí hậu, "
        "chế phẩm vi sinh xử lý rơm rạ.",
    ),
    (
        "nguyen.van.phuc@example.vn",
        "Nguyễn Văn Phúc",
        "ThS.",
        [Sector.AQUACULTURE, Sector.ENVIRONMENT],
        None,
        "ca-mau",
        "Nuôi tôm thâm canh tuần hoàn nước, xử lý nước thải ao nuôi và phòng bệnh tôm.",
    ),
    (
        "pham.quoc.bao@example.vn",
        "Phạm Quốc Bảo",
        "KS.",
        [Sector.ENERGY],
        None,
        "dong-nai",
        "Điện mặt trời áp mái, biogas và tiết kiệm năng lượng cho trang trại, cơ sở chế biến.",
    ),
    (
        "do.minh.chau@example.vn",
        "Đỗ Minh Châu",
        "Luật sư",
        [Sector.OTHER],
        None,
        "ha-noi",
        "Sở hữu trí tuệ: đăng ký sáng chế, nhãn hiệu tập thể, chỉ dẫn địa lý; "
        "soạn hợp đồng chuyển giao công nghệ và li-xăng.",
    ),
    (
        "vo.hoang.yen@example.vn",
        "Võ Hoàng Yến",
        "TS.",
        [Sector.FOOD_PROCESSING, Sector.HEALTH],
        None,
        "vinh-long",
        "Chế biến trái cây, sấy lạnh, chiết xuất dược liệu và an toàn thực phẩm cho sản phẩm OCOP.",
    ),
]

INTERMEDIARIES = [
    (
        "trung-tam-ung-dung-tien-bo-khcn",
        "Trung tâm Ứng dụng tiến bộ Khoa học và Công nghệ",
        OrganisationType.AGENCY,
        "dong-nai",
        IntermediaryKind.TRANSFER_CENTRE,
        [Sector.AGRICULTURE, Sector.POST_HARVEST, Sector.BIOTECH],
        "Thử nghiệm và hoàn thiện công nghệ trước khi chuyển giao; trình diễn mô hình; "
        "hỗ trợ thủ tục đăng ký hợp đồng chuyển giao công nghệ.",
    ),
    (
        "cong-ty-moi-gioi-cong-nghe-viet-tech",
        "Công ty TNHH Môi giới Công nghệ VietTech",
        OrganisationType.SME,
        "tp-ho-chi-minh",
        IntermediaryKind.BROKER,
        [Sector.MECHANICAL, Sector.ICT, Sector.ENERGY],
        "Tìm đối tác mua bán công nghệ trong và ngoài nước, định giá công nghệ, "
        "đàm phán và soạn thảo hợp đồng li-xăng.",
    ),
    (
        "vuon-uom-doanh-nghiep-nong-nghiep",
        "Vườn ươm Doanh nghiệp Nông nghiệp Công nghệ cao",
        OrganisationType.AGENCY,
        "can-tho",
        IntermediaryKind.INCUBATOR,
        [Sector.AGRICULTURE, Sector.FOOD_PROCESSING, Sector.AQUACULTURE],
        "Ươm tạo khởi nghiệp nông nghiệp: mặt bằng, phòng thí nghiệm dùng chung, "
        "cố vấn và kết nối quỹ đầu tư.",
    ),
    (
        "cong-ty-tu-van-so-huu-tri-tue-dong-a",
        "Công ty Tư vấn Sở hữu Trí tuệ Đông Á",
        OrganisationType.SME,
        "ha-noi",
        IntermediaryKind.CONSULTANT,
        [Sector.OTHER, Sector.HEALTH, Sector.CHEMICALS],
        "Tra cứu, đăng ký và bảo vệ quyền sở hữu trí tuệ; tư vấn thương mại hóa kết quả "
        "nghiên cứu của viện, trường.",
    ),
]


def _listings(stdout) -> None:
    records, errors = parse_lines(FIXTURE.read_text(encoding="utf-8").splitlines())
    if errors:
        raise ValueError(f"{FIXTURE.name}: {errors[0]}")
    summary = listings_import(records=records, publish=True)
    stdout.write(
        f"  exchange: {summary.created} listings created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged"
    )
    # Spread publication over the past year (fixed per listing) so the monthly figures show
    # something, and name the demo organisations' owners as contact persons.
    owners = {
        membership.organisation_id: membership.user
        for membership in Membership.objects.filter(role=MembershipRole.OWNER).select_related(
            "user"
        )
    }
    for model in (Offer, Request):
        for index, listing in enumerate(model.objects.filter(external_id__startswith="DEMO-")):
            published_at = listing.created_at - datetime.timedelta(days=(index * 23) % 300)
            changes = {
                "published_at": published_at,
                "expires_at": published_at + datetime.timedelta(days=365),
            }
            if listing.contact_person_id is None and listing.organisation_id in owners:
                changes["contact_person"] = owners[listing.organisation_id]
            if listing.status == ListingStatus.PUBLISHED and (
                listing.published_at != published_at or "contact_person" in changes
            ):
                model.objects.filter(pk=listing.pk).update(**changes)


def _threads(stdout) -> None:
    created = 0
    for external_id, slug, messages, deal in THREADS:
        model = Offer if external_id.startswith("DEMO-O-") else Request
        listing = model.objects.filter(external_id=external_id).first()
        initiator = Organisation.objects.filter(slug=slug).first()
        if listing is None or initiator is None or initiator.pk == listing.organisation_id:
            continue
        field = "offer" if model is Offer else "request"
        inquiry, is_new = Inquiry.objects.get_or_create(
            **{field: listing, "initiator_organisation": initiator},
            defaults={
                "listing_organisation_id": listing.organisation_id,
                "sector": listing.sector,
                "province": listing.province,
                "state": InquiryState.NEGOTIATING if len(messages) > 1 else InquiryState.OPEN,
                "owner_revealed": len(messages) > 1,
            },
        )
        if not is_new:
            continue
        created += 1
        initiator_user = User.objects.filter(memberships__organisation=initiator).first()
        owner_user = User.objects.filter(memberships__organisation=listing.organisation).first()
        for listing_side, text in messages:
            Message.objects.create(
                inquiry=inquiry,
                author=owner_user if listing_side else initiator_user,
                author_organisation_id=listing.organisation_id if listing_side else initiator.pk,
                body=text,
            )
        inquiry.last_message_at = timezone.now()
        if deal is not None:
            deal_type, value, signed_on, confirmed = deal
            Deal.objects.create(
                inquiry=inquiry,
                type=deal_type,
                value_vnd=value,
                signed_on=signed_on,
                recorded_by=initiator_user,
                recorded_by_organisation=initiator,
                confirmed_by=owner_user if confirmed else None,
                confirmed_at=timezone.now() if confirmed else None,
                sector=listing.sector,
                province=listing.province,
            )
            if confirmed:
                inquiry.state = InquiryState.DEAL
        inquiry.save()
    stdout.write(f"  exchange: {created} demo inquiries created")


def _directories(stdout) -> None:
    for email, name, title, fields, org_slug, province, expertise in EXPERTS:
        expert = Expert.objects.filter(email=email).first() or Expert(email=email)
        expert.name, expert.title, expert.fields = name, title, list(fields)
        expert.organisation = (
            Organisation.objects.filter(slug=org_slug).first() if org_slug else None
        )
        expert.province, expert.expertise = province, expertise
        expert_refresh_search(expert)
        expert.save()
    for slug, name, org_type, province, kind, sectors, services_text in INTERMEDIARIES:
        organisation, _created = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "type": org_type, "province": province}
        )
        Intermediary.objects.update_or_create(
            organisation=organisation,
            defaults={"kind": kind, "sectors": list(sectors), "services": services_text},
        )
    stdout.write(f"  exchange: {len(EXPERTS)} experts, {len(INTERMEDIARIES)} intermediaries")


def seed(*, stdout, style) -> None:
    stdout.write(style.MIGRATE_HEADING("Technology exchange"))
    _listings(stdout)
    _threads(stdout)
    _directories(stdout)


def summary(*, site_url: str) -> list[str]:
    return [
        f"  technology exchange:  {site_url}/san/",
        f"  API docs:             {site_url}/api/docs/",
    ]
