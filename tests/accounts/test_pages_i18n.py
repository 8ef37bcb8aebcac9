"""The account pages as a person sees them: allauth's sign-up page with our fields and Bootstrap
markup, its errors in Vietnamese (the default) and English, and the profile and organisation
pages. Strings are compared exactly, so a missing or broken translation fails here."""

import html
import io
import random
import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from PIL import Image

from accounts.models import Membership, MembershipRole, Organisation, OrganisationType, User
from tests.accounts.factories import OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

STRONG = "Lua-gao-Dong-Thap-2026"


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _h1(response) -> str:
    return _text(re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1))


def _labels(response) -> dict[str, str]:
    found = re.findall(
        r'<label class="form-label" for="(id_\w+)">(.*?)</label>', response.content.decode(), re.S
    )
    return {field: _text(re.sub(r"<span[^>]*>\*</span>", "", label)) for field, label in found}


def _field_errors(response) -> dict[str, list[str]]:
    """The messages shown under each field (Bootstrap's invalid-feedback), one per <br>."""
    found = re.findall(
        r'<div class="invalid-feedback" id="(id_\w+)_error">(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    return {field: [_text(part) for part in body.split("<br>")] for field, body in found}


def _invalid_inputs(response) -> list[str]:
    page = response.content.decode()
    return re.findall(
        r'<(?:input|select|textarea)[^>]*class="form-\w+ is-invalid"[^>]*id="(id_\w+)"', page
    )


def _signup(client, **overrides):
    data = {
        "email": "bachu@example.vn",
        "full_name": "Bà Chủ Trại",
        "phone": "0912 345 678",
        "province": "dong-thap",
        "password1": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def _english(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/signup/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


# --- Sign-up page --------------------------------------------------------------------------


def test_signup_page_vietnamese_by_default_shows_our_fields_with_labels(client):
    response = client.get("/accounts/signup/")

    assert response.status_code == 200
    assert _h1(response) == "Đăng ký"
    assert _labels(response) == {
        "id_email": "Email",
        "id_full_name": "Họ và tên",
        "id_phone": "Số điện thoại",
        "id_province": "Tỉnh/thành phố",
        "id_password1": "Mật khẩu",
        "id_password2": "Nhập lại mật khẩu",
    }
    page = response.content.decode()
    assert re.findall(r'<button type="submit" class="([^"]+)">\s*(.*?)\s*</button>', page) == [
        ("btn btn-success btn-lg", "Đăng ký")
    ]
    assert 'name="email" id="id_email" autocomplete="email" placeholder="Địa chỉ email"' in page
    assert '<option value="dong-thap">Đồng Tháp</option>' in page


def test_signup_page_in_english_after_choosing_english(client):
    _english(client)

    response = client.get("/accounts/signup/")

    assert _h1(response) == "Sign Up"
    assert _labels(response) == {
        "id_email": "Email",
        "id_full_name": "Full name",
        "id_phone": "Phone",
        "id_province": "Province",
        "id_password1": "Password",
        "id_password2": "Password (again)",
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", ["Địa chỉ email không hợp lệ. Vui lòng nhập lại, ví dụ ten@example.vn."]),
        ("en", ["Enter a valid email address."]),
    ],
)
def test_signup_with_a_bad_email_shows_the_error_next_to_the_field(client, language, expected):
    if language == "en":
        _english(client)

    response = _signup(client, email="khong-phai-email")

    assert response.status_code == 200
    assert _field_errors(response) == {"id_email": expected}
    assert _invalid_inputs(response) == ["id_email"]
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "vi",
            [
                "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 8 ký tự.",
                "Mật khẩu này quá phổ biến.",
                "Mật khẩu này hoàn toàn là số.",
            ],
        ),
        (
            "en",
            [
                "This password is too short. It must contain at least 8 characters.",
                "This password is too common.",
                "This password is entirely numeric.",
            ],
        ),
    ],
)
def test_signup_with_a_weak_password_lists_every_broken_rule(client, language, expected):
    if language == "en":
        _english(client)

    response = _signup(client, password1="123456", password2="123456")

    assert response.status_code == 200
    assert _field_errors(response) == {"id_password1": expected}
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", ["Hai lần nhập mật khẩu phải giống nhau."]),
        ("en", ["You must type the same password each time."]),
    ],
)
def test_signup_with_mismatched_passwords_marks_the_second(client, language, expected):
    if language == "en":
        _english(client)

    response = _signup(client, password2=STRONG + "x")

    assert _field_errors(response) == {"id_password2": expected}
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", ["Hãy nhập số di động Việt Nam, ví dụ 0912 345 678."]),
        ("en", ["Enter a Vietnamese mobile number, such as 0912 345 678."]),
    ],
)
def test_signup_with_a_bad_phone_shows_our_own_error(client, language, expected):
    if language == "en":
        _english(client)

    response = _signup(client, phone="12345", full_name="")

    required = "Trường này là bắt buộc." if language == "vi" else "This field is required."
    assert _field_errors(response) == {"id_full_name": [required], "id_phone": expected}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", ["Đã có người đăng ký bằng địa chỉ email này."]),
        ("en", ["A user is already registered with this email address."]),
    ],
)
def test_signup_with_a_taken_email_says_so_next_to_the_field(client, language, expected):
    UserFactory(email="bachu@example.vn")
    if language == "en":
        _english(client)

    response = _signup(client, email="BaChu@example.vn")

    assert _field_errors(response) == {"id_email": expected}
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "heading", "subject", "opening"),
    [
        (
            "vi",
            "Xác minh địa chỉ email của bạn",
            "[Techmart] Tài khoản đã tồn tại",
            "Bạn nhận được thư này vì bạn hoặc một người khác vừa đăng ký tài khoản",
        ),
        (
            "en",
            "Verify Your Email Address",
            "[Techmart] Account Already Exists",
            "You are receiving this email because you or someone else tried to signup for an",
        ),
    ],
)
def test_signup_with_a_taken_email_under_enumeration_prevention_mails_the_owner(
    client, settings, language, heading, subject, opening
):
    """Should the platform switch allauth's enumeration prevention on, the page looks like a
    normal sign-up and the owner of the address is told by mail, in the page's language."""
    settings.ACCOUNT_PREVENT_ENUMERATION = True
    UserFactory(email="bachu@example.vn", preferred_language="vi")
    if language == "en":
        _english(client)

    response = _signup(client, email="bachu@example.vn")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert _h1(client.get("/accounts/confirm-email/")) == heading
    assert User.objects.count() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [(["bachu@example.vn"], subject)]
    assert mail.outbox[0].body.splitlines()[2] == opening


def test_signup_confirmation_mail_is_vietnamese(client):
    Site.objects.filter(pk=1).update(domain="techmart.example.vn", name="Techmart")
    _signup(client)

    assert [m.subject for m in mail.outbox] == [
        "[Techmart] Vui lòng xác nhận địa chỉ email của bạn"
    ]
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body)
    lines = mail.outbox[0].body.splitlines()
    assert (lines[0], lines[2], lines[-2]) == (
        "Techmart xin chào!",
        "Bạn nhận được thư này vì người dùng Bà Chủ Trại đã dùng địa chỉ email của bạn để "
        "đăng ký tài khoản trên techmart.example.vn.",
        "Cảm ơn bạn đã sử dụng Techmart!",
    )
    page = client.get(link.group(1))
    assert _h1(page) == "Xác nhận địa chỉ email"


def test_login_page_vietnamese_with_reset_link_and_wrong_password_error(client):
    UserFactory(email="nongdan@example.vn")

    page = client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/", {"login": "nongdan@example.vn", "password": "sai-mat-khau"}
    )

    assert _h1(page) == "Đăng nhập"
    assert _labels(page) == {"id_login": "Email", "id_password": "Mật khẩu"}
    assert (
        '<div class="form-text" id="id_password_help">'
        '<a href="/accounts/password/reset/">Quên mật khẩu?</a></div>' in page.content.decode()
    )
    assert re.findall(
        r'<div class="alert alert-danger" role="alert" data-testid="form-errors">\s*(.*?)\s*</div>',
        response.content.decode(),
        re.S,
    ) == ['<p class="mb-0">Địa chỉ email hoặc mật khẩu không đúng.</p>']


def test_password_reset_pages_and_mail_are_vietnamese(client):
    UserFactory(email="nongdan@example.vn")

    page = client.get("/accounts/password/reset/")
    done = client.post("/accounts/password/reset/", {"email": "nongdan@example.vn"}, follow=True)

    assert _h1(page) == "Đặt lại mật khẩu"
    assert _h1(done) == "Đặt lại mật khẩu"
    assert [m.subject for m in mail.outbox] == ["[Techmart] Thư đặt lại mật khẩu"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    form = client.get(link.group(1), follow=True)
    assert _h1(form) == "Đổi mật khẩu"
    assert _labels(form) == {
        "id_password1": "Mật khẩu mới",
        "id_password2": "Nhập lại mật khẩu mới",
    }


def test_password_change_and_email_pages_are_vietnamese(client):
    user = UserFactory()
    client.force_login(user)

    change = client.get("/accounts/password/change/")
    emails = client.get("/accounts/email/")

    assert _h1(change) == "Đổi mật khẩu"
    assert _labels(change) == {
        "id_oldpassword": "Mật khẩu hiện tại",
        "id_password1": "Mật khẩu mới",
        "id_password2": "Nhập lại mật khẩu mới",
    }
    assert _h1(emails) == "Địa chỉ email"
    badges = re.findall(r'<span class="badge ([^"]+)">(.*?)</span>', emails.content.decode(), re.S)
    assert [(classes, _text(label)) for classes, label in badges] == [
        ("text-bg-success", "Đã xác minh"),
        ("text-bg-primary", "Chính"),
    ]


# --- Profile and organisation pages ---------------------------------------------------------


def test_profile_page_shows_the_form_roles_and_organisations(client):
    user = UserFactory(roles=["moderator"])
    organisation = OrganisationFactory(name="Hợp tác xã Tân Phú", slug="htx-tan-phu")
    Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.OWNER)
    client.force_login(user)

    response = client.get("/account/")

    assert response.status_code == 200
    page = response.content.decode()
    assert _h1(response) == "Tài khoản của bạn"
    assert _labels(response) == {
        "id_full_name": "Họ và tên",
        "id_phone": "Số điện thoại",
        "id_preferred_language": "Ngôn ngữ ưa dùng",
        "id_province": "Tỉnh/thành phố",
    }
    assert re.findall(r'<span class="badge text-bg-secondary role-badge">(.*?)</span>', page) == [
        "Thành viên",
        "Kiểm duyệt viên",
    ]
    rows = re.findall(r'<li class="list-group-item[^"]*">(.*?)</li>', page, re.S)
    assert [_text(row) for row in rows] == [
        "Hợp tác xã Tân Phú Doanh nghiệp nhỏ và vừa · Đồng Nai Chủ sở hữu Sửa"
    ]
    assert re.findall(r'href="(/account/to-chuc/[^"]+)"', rows[0]) == [
        "/account/to-chuc/htx-tan-phu/",
        "/account/to-chuc/htx-tan-phu/sua/",
    ]
    assert '<a href="/accounts/password/change/">Đổi mật khẩu</a>' in page
    assert '<a href="/accounts/email/">Địa chỉ email</a>' in page
    assert '<a class="btn btn-outline-success" href="/account/to-chuc/moi/">Tạo tổ chức</a>' in page


def test_profile_page_shows_a_field_error_and_keeps_the_value(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/account/",
        {"full_name": "Trần Thị Mai", "phone": "123", "preferred_language": "vi", "province": ""},
    )

    assert response.status_code == 200
    assert _field_errors(response) == {
        "id_phone": ["Hãy nhập số di động Việt Nam, ví dụ 0912 345 678."]
    }
    assert 'name="full_name" id="id_full_name" value="Trần Thị Mai"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_profile_page_queries_do_not_grow_with_organisations(
    client, django_assert_num_queries, count
):
    user = UserFactory()
    for _ in range(count):
        Membership.objects.create(user=user, organisation=OrganisationFactory(), role="member")
    client.force_login(user)

    with django_assert_num_queries(5):
        response = client.get("/account/")

    assert response.content.decode().count('class="list-group-item ') == count


def test_organisation_create_page_heading_and_fields(client):
    client.force_login(UserFactory())

    response = client.get("/account/to-chuc/moi/")

    assert response.status_code == 200
    page = response.content.decode()
    assert _h1(response) == "Tạo tổ chức mới"
    assert 'enctype="multipart/form-data"' in page
    assert _labels(response) == {
        "id_name": "Tên",
        "id_type": "Loại hình",
        "id_tax_code": "Mã số thuế hoặc số đăng ký",
        "id_province": "Tỉnh/thành phố",
        "id_website": "Trang web",
        "id_description": "Mô tả",
        "id_logo": "Logo",
    }
    assert re.search(r'<div class="form-text" id="id_logo_help">(.*?)</div>', page).group(1) == (
        "Ảnh JPEG, PNG hoặc WebP, tối đa 2 MB."
    )
    assert 'accept="image/jpeg,image/png,image/webp"' in page


def _png(size: tuple[int, int], *, noise: bool = False) -> bytes:
    if noise:
        pixels = random.Random(2026).randbytes(size[0] * size[1] * 3)
        image = Image.frombytes("RGB", size, pixels)
    else:
        image = Image.new("RGB", size, (0, 128, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _organisation_post(client, logo_name: str, logo_bytes: bytes):
    upload = io.BytesIO(logo_bytes)
    upload.name = logo_name
    return client.post(
        "/account/to-chuc/moi/",
        {
            "name": "Công ty TNHH Máy Nông nghiệp Cửu Long",
            "type": OrganisationType.SME,
            "province": "vinh-long",
            "logo": upload,
        },
    )


def test_organisation_create_with_a_logo_saves_it_and_shows_the_detail_page(client, settings):
    owner = UserFactory()
    client.force_login(owner)

    response = _organisation_post(client, "logo.png", _png((40, 40)))

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/account/to-chuc/{organisation.slug}/"
    detail = client.get(response["Location"])
    page = detail.content.decode()
    assert _h1(detail) == "Công ty TNHH Máy Nông nghiệp Cửu Long"
    assert re.findall(r'<div class="alert alert-success" role="status">(.*?)</div>', page) == [
        "Đã tạo tổ chức. Bạn là chủ sở hữu của tổ chức."
    ]
    assert re.search(r'<img class="org-logo[^"]*" src="([^"]+)" alt="([^"]+)">', page).groups() == (
        organisation.logo.url,
        "Logo của Công ty TNHH Máy Nông nghiệp Cửu Long",
    )
    assert (settings.MEDIA_ROOT / organisation.logo.name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "logo.png",
            b"%PDF-1.4 this is not a picture",
            "Hãy tải lên một hình ảnh hợp lệ. Tập tin mà bạn đã tải không phải là hình ảnh "
            "hoặc đã bị hư hỏng.",
        ),
        (
            "logo.png",
            "noise",
            "Tệp có dung lượng 2,4 MB; dung lượng tối đa cho phép là 2,0 MB.",
        ),
    ],
    ids=["not-an-image", "over-2-mb"],
)
def test_organisation_create_with_a_bad_logo_shows_the_error_and_saves_nothing(
    client, settings, name, content, expected
):
    client.force_login(UserFactory())
    if content == "noise":
        content = _png((920, 920), noise=True)
        assert len(content) > 2 * 1024 * 1024

    response = _organisation_post(client, name, content)

    assert response.status_code == 200
    assert _field_errors(response) == {"id_logo": [expected]}
    assert _invalid_inputs(response) == ["id_logo"]
    assert (
        re.search(
            r'data-testid="form-errors">\s*(.*?)\s*</div>', response.content.decode(), re.S
        ).group(1)
        == "Một số ô cần sửa: xem thông báo bên dưới từng ô."
    )
    assert Organisation.objects.count() == 0
    assert Membership.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert (sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []) == []


def test_organisation_detail_for_its_owner_shows_members_and_the_add_form(client):
    organisation = OrganisationFactory(name="Viện Cơ điện", slug="vien-co-dien", is_verified=True)
    owner = member_of(
        organisation, MembershipRole.OWNER, full_name="Lê Văn Chủ", email="chu@vien.vn"
    )
    member = member_of(
        organisation, MembershipRole.MEMBER, full_name="Phạm Thị Viên", email="vien@vien.vn"
    )
    client.force_login(owner)

    response = client.get("/account/to-chuc/vien-co-dien/")

    page = response.content.decode()
    assert _h1(response) == "Viện Cơ điện"
    assert re.findall(r'<h2 class="h4" id="[\w-]+">(.*?)</h2>', page) == [
        "Thành viên",
        "Thêm thành viên",
    ]
    assert re.findall(
        r'<form method="post" action="(/account/to-chuc/vien-co-dien/thanh-vien/\d+/xoa/)" '
        r'class="d-inline">.*?<button[^>]*>(.*?)</button>',
        page,
        re.S,
    ) == [
        (
            f"/account/to-chuc/vien-co-dien/thanh-vien/{owner.memberships.get().pk}/xoa/",
            "Rời tổ chức",
        ),
        (f"/account/to-chuc/vien-co-dien/thanh-vien/{member.memberships.get().pk}/xoa/", "Xóa"),
    ]
    assert _labels(response) == {
        "id_email": "Địa chỉ email của người được thêm",
        "id_role": "Vai trò",
    }
    assert '<span class="badge text-bg-primary ms-1">Đã được Sở xác minh</span>' in page
    assert 'href="/account/to-chuc/vien-co-dien/sua/">Sửa thông tin tổ chức</a>' in page


def test_organisation_detail_for_a_visitor_shows_only_public_information(client):
    organisation = OrganisationFactory(
        name="Viện Cơ điện", slug="vien-co-dien", description="Máy sấy lúa.\nMáy gặt."
    )
    member_of(organisation, MembershipRole.OWNER, email="chu@vien.vn")

    response = client.get("/account/to-chuc/vien-co-dien/")

    page = response.content.decode()
    assert response.status_code == 200
    assert _h1(response) == "Viện Cơ điện"
    assert "chu@vien.vn" not in page
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", page) == []
    assert "<p>Máy sấy lúa.<br>Máy gặt.</p>" in page
    assert "/sua/" not in page


@pytest.mark.parametrize("count", [1, 5])
def test_organisation_detail_queries_do_not_grow_with_members(
    client, django_assert_num_queries, count
):
    organisation = OrganisationFactory(slug="htx")
    owner = member_of(organisation, MembershipRole.OWNER)
    for _ in range(count - 1):
        member_of(organisation, MembershipRole.MEMBER)
    client.force_login(owner)

    with django_assert_num_queries(9):
        response = client.get("/account/to-chuc/htx/")

    assert response.content.decode().count('class="list-group-item ') == count


def test_organisation_edit_page_heading_and_current_logo(client):
    organisation = OrganisationFactory(name="Viện Cơ điện", slug="vien-co-dien")
    owner = member_of(organisation, MembershipRole.OWNER)
    client.force_login(owner)

    response = client.get("/account/to-chuc/vien-co-dien/sua/")

    assert response.status_code == 200
    assert _h1(response) == "Sửa thông tin tổ chức"
    assert 'name="name" id="id_name" value="Viện Cơ điện"' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/logout/",
        "/account/",
        "/account/to-chuc/moi/",
        "/account/to-chuc/htx/",
        "/account/to-chuc/htx/sua/",
    ],
)
def test_account_pages_have_no_inline_script_or_style(client, url):
    """The site allows no inline JS or CSS (a strict CSP stays possible); allauth's own email
    page carries an inline script that our override drops."""
    owner = member_of(OrganisationFactory(slug="htx"), MembershipRole.OWNER)
    if not url.startswith(("/accounts/signup/", "/accounts/login/", "/accounts/password/reset/")):
        client.force_login(owner)

    page = client.get(url).content.decode()

    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) == []
    assert re.findall(r"<[^>]+\sstyle=", page) == []
    assert len(re.findall(r"<script [^>]*src=", page)) == 2


def test_organisation_edit_shows_the_current_logo_and_can_clear_it(client, settings):
    organisation = OrganisationFactory(name="Viện Cơ điện", slug="vien-co-dien")
    owner = member_of(organisation, MembershipRole.OWNER)
    client.force_login(owner)
    upload = io.BytesIO(_png((30, 30)))
    upload.name = "logo.png"
    data = {"name": "Viện Cơ điện", "type": OrganisationType.INSTITUTE, "province": "dong-nai"}
    assert (
        client.post("/account/to-chuc/vien-co-dien/sua/", {**data, "logo": upload}).status_code
        == 302
    )
    organisation.refresh_from_db()

    page = client.get("/account/to-chuc/vien-co-dien/sua/").content.decode()
    current = re.search(r'<div class="[^"]*current-file">(.*?)</div>', page, re.S).group(1)
    assert _text(current) == f"Hiện nay: {organisation.logo.name.removeprefix('logos/')} Xóa"
    assert re.findall(r'<input type="checkbox"[^>]*name="([\w-]+)"', current) == ["logo-clear"]

    response = client.post("/account/to-chuc/vien-co-dien/sua/", {**data, "logo-clear": "on"})

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name == ""
