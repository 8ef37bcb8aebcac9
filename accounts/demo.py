"""Demo organisations and one user per role. Logins are printed by seed_demo."""

from allauth.account.models import EmailAddress

from . import services
from .models import Membership, MembershipRole, Organisation, OrganisationType, Role, User

DEMO_PASSWORD = "techmart2026"

ORGANISATIONS = [
    # slug, name, type, province, tax code, description
    (
        "vien-co-dien-nong-nghiep-mien-nam",
        "Viện Cơ điện Nông nghiệp miền Nam",
        OrganisationType.INSTITUTE,
        "tp-ho-chi-minh",
        "0301234567",
        "Nghiên cứu và chuyển giao máy sấy, máy chế biến sau thu hoạch cho nông dân.",
    ),
    (
        "cong-ty-co-khi-dong-nai",
        "Công ty TNHH Cơ khí Đồng Nai",
        OrganisationType.SME,
        "dong-nai",
        "3602345678",
        "Chế tạo máy sấy lúa, máy sấy nông sản và thiết bị chế biến quy mô vừa và nhỏ.",
    ),
    (
        "dai-hoc-can-tho",
        "Trường Đại học Cần Thơ",
        OrganisationType.UNIVERSITY,
        "can-tho",
        "1800123456",
        "Chuyển giao giống lúa chịu mặn, quy trình nuôi tôm sinh thái và xử lý môi trường.",
    ),
    (
        "htx-nong-nghiep-tan-phu",
        "Hợp tác xã Nông nghiệp Tân Phú",
        OrganisationType.COOPERATIVE,
        "dong-nai",
        "3603456789",
        "Hợp tác xã trồng lúa, cây ăn trái và chăn nuôi heo của 120 hộ xã viên.",
    ),
    (
        "ho-nong-dan-nguyen-van-ba",
        "Hộ nông dân Nguyễn Văn Ba",
        OrganisationType.FARMER,
        "vinh-long",
        "",
        "Hộ nuôi heo 200 con và trồng 2 ha chôm chôm.",
    ),
    (
        "so-khcn",
        "Sở Khoa học và Công nghệ",
        OrganisationType.AGENCY,
        "dong-nai",
        "3600000001",
        "Đơn vị vận hành sàn giao dịch công nghệ và Chợ công nghệ – thiết bị Techmart.",
    ),
]

# email, full name, phone, province, roles, [(organisation slug, membership role)]
USERS = [
    ("admin@techmart.vn", "Quản trị hệ thống", "0900000001", "dong-nai", "superuser", []),
    (
        "kiemduyet@techmart.vn",
        "Trần Thị Kiểm Duyệt",
        "0900000002",
        "dong-nai",
        {Role.MODERATOR},
        [("so-khcn", MembershipRole.MEMBER)],
    ),
    (
        "bantochuc@techmart.vn",
        "Lê Văn Tổ Chức",
        "0900000003",
        "dong-nai",
        {Role.ORGANISER},
        [("so-khcn", MembershipRole.OWNER)],
    ),
    (
        "gianhang@techmart.vn",
        "Phạm Minh Gian Hàng",
        "0900000004",
        "dong-nai",
        {Role.EXHIBITOR_STAFF},
        [("cong-ty-co-khi-dong-nai", MembershipRole.MEMBER)],
    ),
    (
        "doanhnghiep@techmart.vn",
        "Nguyễn Thị Doanh Nghiệp",
        "0900000005",
        "dong-nai",
        set(),
        [("cong-ty-co-khi-dong-nai", MembershipRole.OWNER)],
    ),
    (
        "vien@techmart.vn",
        "TS. Hoàng Văn Viện",
        "0900000006",
        "tp-ho-chi-minh",
        set(),
        [("vien-co-dien-nong-nghiep-mien-nam", MembershipRole.OWNER)],
    ),
    (
        "daihoc@techmart.vn",
        "PGS. Võ Thị Đại Học",
        "0900000007",
        "can-tho",
        set(),
        [("dai-hoc-can-tho", MembershipRole.OWNER)],
    ),
    (
        "htx@techmart.vn",
        "Đỗ Văn Hợp Tác",
        "0900000008",
        "dong-nai",
        set(),
        [("htx-nong-nghiep-tan-phu", MembershipRole.OWNER)],
    ),
    (
        "nongdan@techmart.vn",
        "Nguyễn Văn Ba",
        "0900000009",
        "vinh-long",
        set(),
        [("ho-nong-dan-nguyen-van-ba", MembershipRole.OWNER)],
    ),
]


def seed(*, stdout, style) -> None:
    for slug, name, org_type, province, tax_code, description in ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "type": org_type,
                "province": province,
                "tax_code": tax_code,
                "description": description,
                "is_verified": True,
            },
        )
    for email, full_name, phone, province, roles, memberships in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            if roles == "superuser":
                user = User.objects.create_superuser(email=email, password=DEMO_PASSWORD)
            else:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD)
        user.full_name, user.phone, user.province = full_name, phone, province
        user.save(update_fields=["full_name", "phone", "province"])
        if roles != "superuser":
            services.user_set_roles(user=user, roles=roles)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for org_slug, membership_role in memberships:
            Membership.objects.update_or_create(
                user=user,
                organisation=Organisation.objects.get(slug=org_slug),
                defaults={"role": membership_role},
            )
    stdout.write(f"  accounts: {len(ORGANISATIONS)} organisations, {len(USERS)} users")


def summary(*, site_url: str) -> list[str]:
    lines = [f"Logins (password for all: {DEMO_PASSWORD}), sign in at {site_url}/accounts/login/"]
    for email, _name, _phone, _province, roles, _memberships in USERS:
        role_label = "superuser" if roles == "superuser" else ", ".join(sorted(roles)) or "member"
        lines.append(f"  {email:<28} {role_label}")
    return lines
