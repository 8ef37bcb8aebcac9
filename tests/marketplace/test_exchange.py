import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from marketplace.models import Offer, Request
from marketplace.taxonomy import ListingStatus

pytestmark = pytest.mark.django_db

OFFER_LINE = {
    "kind": "offer",
    "external_id": "X-O-1",
    "language": "vi",
    "title": "Máy sấy lúa",
    "summary": "Sấy 12 tấn/mẻ",
    "description": "Mô tả đầy đủ.",
    "sector": "post_harvest",
    "keywords": ["máy sấy", "lúa"],
    "province": "Cần Thơ",
    "owner": {"name": "Công ty Phú Điền", "type": "enterprise"},
    "trl": 9,
    "ip_status": "utility_solution",
    "transfer_types": ["equipment"],
    "price_vnd": 680000000,
}
REQUEST_LINE = {
    "kind": "request",
    "external_id": "X-R-1",
    "title": "Cần máy sấy",
    "description": "HTX cần sấy lúa mùa mưa.",
    "sector": "post_harvest",
    "province": "Đồng Tháp",
    "owner": {"name": "HTX Mỹ An", "type": "cooperative"},
    "budget_vnd": None,
}


def _write(tmp_path, records, name="in.jsonl"):
    path = tmp_path / name
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records)
        + "\n",
        encoding="utf-8",
    )
    return path


def _import(path, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_listings", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def _export(*args) -> list[dict]:
    out = StringIO()
    call_command("export_listings", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_import_creates_listings_and_owners(tmp_path):
    code, out, _err = _import(_write(tmp_path, [OFFER_LINE, REQUEST_LINE]), "--publish")

    assert code == 0
    assert out.strip() == "2 created, 0 updated, 0 unchanged, 2 organisation(s) created."
    offer = Offer.objects.get(external_id="X-O-1")
    assert offer.province == "can-tho"
    assert offer.status == ListingStatus.PUBLISHED
    assert offer.organisation.name == "Công ty Phú Điền"
    assert offer.search_title == "may say lua"
    assert Request.objects.get().budget_vnd is None


def test_import_without_publish_queues_for_review(tmp_path):
    _import(_write(tmp_path, [OFFER_LINE]))

    assert Offer.objects.get().status == ListingStatus.PENDING_REVIEW


def test_import_reuses_owner_and_updates_by_external_id(tmp_path):
    existing = Organisation.objects.create(
        name="CÔNG TY PHÚ ĐIỀN", slug="phu-dien", type="enterprise"
    )
    _import(_write(tmp_path, [OFFER_LINE]), "--publish")
    changed = {**OFFER_LINE, "title": "Máy sấy lúa thế hệ mới", "price_vnd": 700000000}

    code, out, _err = _import(_write(tmp_path, [changed], "again.jsonl"), "--publish")

    assert code == 0
    assert out.strip() == "0 created, 1 updated, 0 unchanged, 0 organisation(s) created."
    offer = Offer.objects.get()
    assert (offer.title, offer.price_vnd, offer.organisation) == (
        "Máy sấy lúa thế hệ mới",
        700000000,
        existing,
    )


def test_import_bad_file_reports_every_error_and_imports_nothing(tmp_path):
    lines = [
        OFFER_LINE,
        {**REQUEST_LINE, "external_id": "X-R-2", "sector": "space", "budget_vnd": -5},
        "{not json",
        {**OFFER_LINE, "external_id": "X-O-1", "trl": 12, "province": "Sài Gòn Mới"},
        {**REQUEST_LINE, "external_id": "X-R-3", "price_vnd": 10, "owner": {"name": ""}},
    ]

    code, out, err = _import(_write(tmp_path, lines), "--publish")

    assert code == 1
    assert err.splitlines() == [
        "line 2: sector: must be one of agriculture, livestock, aquaculture, post_harvest, "
        "food_processing, forestry, environment, energy, mechanical, ict, biotech, health, "
        "materials, chemicals, other (got 'space')",
        "line 2: budget_vnd: must be a whole, non-negative number of đồng or null",
        "line 3: -: is not valid JSON (Expecting property name enclosed in double quotes)",
        "line 4: province: is not one of the 34 provincial units (got 'Sài Gòn Mới')",
        "line 4: trl: must be a whole number from 1 to 9",
        "line 5: owner.name: is required",
        "line 5: owner.type: must be one of enterprise, sme, institute, university, "
        "cooperative, farmer, individual, agency",
        "line 5: price_vnd: is not a field of a request",
        "8 error(s); nothing was imported.",
    ]
    assert Offer.objects.count() == 0
    assert Request.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_import_rejects_duplicate_external_id_in_one_file(tmp_path):
    code, _out, err = _import(_write(tmp_path, [OFFER_LINE, OFFER_LINE]))

    assert code == 1
    assert err.splitlines()[0] == "line 2: external_id: 'X-O-1' already used on line 1"


def test_export_writes_the_exchange_format(tmp_path):
    _import(_write(tmp_path, [OFFER_LINE, REQUEST_LINE]), "--publish")

    assert _export("--kind", "offer") == [{**OFFER_LINE}]
    assert _export("--kind", "request") == [
        {
            **REQUEST_LINE,
            "language": "vi",
            "summary": "",
            "keywords": [],
            "transfer_types": [],
        }
    ]


def _normalised(record: dict) -> dict:
    defaults = {"language": "vi", "summary": "", "keywords": [], "transfer_types": []}
    if record["kind"] == "offer":
        defaults.update({"trl": None, "ip_status": None, "price_vnd": None})
    else:
        defaults.update({"budget_vnd": None})
    defaults["province"] = None
    return {**defaults, **record}


def test_import_export_import_is_lossless_on_the_shared_dev_set(tmp_path, shared_data):
    source = shared_data / "matching-dev" / "listings.jsonl"
    originals = [json.loads(line) for line in source.read_text("utf-8").splitlines() if line]

    code, _out, err = _import(source, "--publish")
    assert (code, err) == (0, "")
    first = _export()
    assert sorted(json.dumps(record, sort_keys=True) for record in first) == sorted(
        json.dumps(_normalised(record), sort_keys=True) for record in originals
    )

    path = _write(tmp_path, first, "export.jsonl")
    code, out, _err = _import(path, "--publish")
    assert out.strip() == (
        f"0 created, 0 updated, {len(originals)} unchanged, 0 organisation(s) created."
    )
    assert _export() == first


def test_public_export_hides_the_owner_of_anonymous_requests():
    from .factories import RequestFactory

    RequestFactory(
        external_id="AN-1", is_anonymous=True, organisation__name="HTX Bí Mật", title="Cần máy"
    )
    RequestFactory(external_id="AN-2", draft=True, title="Nháp")

    public = _export("--published")
    full = _export()

    assert [(r["external_id"], r["owner"]["name"]) for r in public] == [("AN-1", "Ẩn danh")]
    assert [(r["external_id"], r["owner"]["name"]) for r in full][0] == ("AN-1", "HTX Bí Mật")
    assert len(full) == 2
