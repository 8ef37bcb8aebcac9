"""Exchange search benchmark (not a test).

Fills its own PostgreSQL database (bench_marketplace, next to DATABASE_URL's) with 50,000 offers
and 20,000 requests of synthetic Vietnamese text, then times in-process requests through Django's
test client: the browse page with a query and two filters, the list API with the same query, and
a listing detail page. Prints p50 and p95 server time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/marketplace.py

Targets: p50 under 150 ms for the page and under 100 ms for the API.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OFFERS = int(os.environ.get("BENCH_OFFERS", "50000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "60"))
from _database import bench_database_url  # noqa: E402

BENCH_DB = "bench_marketplace"


os.environ["DATABASE_URL"] = bench_database_url(script="bench/marketplace.py", name=BENCH_DB)
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organisation, OrganisationType  # noqa: E402
from accounts.provinces import PROVINCE_CHOICES  # noqa: E402
from marketplace.models import Offer, Request  # noqa: E402
from marketplace.taxonomy import IPStatus, ListingStatus, Sector, TransferType  # noqa: E402
from marketplace.text import fold  # noqa: E402

DEVICES = [
    "Máy sấy",
    "Máy xay",
    "Máy bóc vỏ",
    "Máy gặt",
    "Máy cấy",
    "Hệ thống tưới",
    "Dây chuyền",
    "Lò đốt",
    "Kho lạnh",
    "Bể lọc",
    "Thiết bị đo",
    "Phần mềm",
    "Chế phẩm",
    "Quy trình",
    "Giống",
    "Cảm biến",
    "Robot",
    "Tủ điều khiển",
    "Máy ép",
    "Máy đóng gói",
]
OBJECTS = [
    "lúa",
    "cà phê",
    "hồ tiêu",
    "điều",
    "sầu riêng",
    "thanh long",
    "xoài",
    "chuối",
    "mít",
    "tôm",
    "cá tra",
    "heo",
    "gà",
    "bò sữa",
    "rau",
    "nấm rơm",
    "mắc ca",
    "ca cao",
    "dừa",
    "mía",
    "sắn",
    "bắp",
    "đậu nành",
    "chè",
    "dược liệu",
    "gỗ keo",
    "nước thải",
    "rơm rạ",
]
QUALITIES = [
    "tiết kiệm điện",
    "năng suất cao",
    "tự động",
    "đốt trấu",
    "bơm nhiệt",
    "quy mô hộ",
    "cho hợp tác xã",
    "công suất lớn",
    "mini",
    "thông minh",
    "hữu cơ",
    "chịu mặn",
    "không dùng hóa chất",
    "điều khiển từ xa",
    "đạt chuẩn xuất khẩu",
    "giá rẻ",
]
SENTENCES = [
    "Thiết bị được thiết kế cho điều kiện {place}, dễ vận hành và bảo trì.",
    "Năng suất đạt {n} tấn mỗi ngày, giảm {p}% chi phí nhân công.",
    "Công nghệ đã được ứng dụng tại {m} hợp tác xã và trang trại.",
    "Chúng tôi hỗ trợ lắp đặt, đào tạo vận hành và bảo hành {b} tháng.",
    "Sản phẩm giúp giảm hao hụt sau thu hoạch và nâng cao giá trị {o}.",
    "Phù hợp với hộ nông dân, hợp tác xã và doanh nghiệp vừa và nhỏ.",
    "Tiêu hao năng lượng thấp, có thể kết hợp điện mặt trời.",
    "Đáp ứng tiêu chuẩn an toàn thực phẩm và quy chuẩn môi trường.",
]
PLACES = ["Đồng bằng sông Cửu Long", "Tây Nguyên", "miền núi phía Bắc", "ven biển", "đồng bằng"]


def _text(rng: random.Random) -> tuple[str, str, str, list[str]]:
    device, obj, quality = rng.choice(DEVICES), rng.choice(OBJECTS), rng.choice(QUALITIES)
    title = f"{device} {obj} {quality}"
    summary = f"{device} {obj} {rng.choice(QUALITIES)}, {rng.choice(QUALITIES)}."
    sentences = [
        rng.choice(SENTENCES).format(
            place=rng.choice(PLACES),
            n=rng.randint(1, 50),
            p=rng.randint(10, 70),
            m=rng.randint(2, 120),
            b=rng.choice([6, 12, 18, 24]),
            o=rng.choice(OBJECTS),
        )
        for _ in range(rng.randint(4, 9))
    ]
    return title, summary, " ".join(sentences), [obj, device.lower(), quality]


def _fill() -> None:
    rng = random.Random(2026)
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE marketplace_deal, marketplace_message, marketplace_inquiry, "
                "marketplace_offerimage, marketplace_offerattachment, marketplace_offer, "
                "marketplace_request RESTART IDENTITY CASCADE"
            )
        Organisation.objects.filter(slug__startswith="bench-").delete()
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Tổ chức thử nghiệm {i}",
                slug=f"bench-{i}",
                type=rng.choice(OrganisationType.values),
                province=rng.choice(PROVINCE_CHOICES)[0],
            )
            for i in range(500)
        )
        provinces = [code for code, _name in PROVINCE_CHOICES]
        for model, count, prefix in ((Offer, OFFERS, "B-O-"), (Request, REQUESTS, "B-R-")):
            batch = []
            for i in range(count):
                title, summary, description, keywords = _text(rng)
                organisation = rng.choice(organisations)
                province = rng.choice(provinces)
                published_at = now - timedelta(minutes=rng.randint(0, 60 * 24 * 300))
                listing = model(
                    external_id=f"{prefix}{i:06d}",
                    organisation=organisation,
                    title=title,
                    summary=summary,
                    description=description,
                    keywords=keywords,
                    sector=rng.choice(Sector.values),
                    province=province,
                    transfer_types=rng.sample(TransferType.values, rng.randint(1, 3)),
                    status=ListingStatus.PUBLISHED,
                    published_at=published_at,
                    expires_at=published_at + timedelta(days=365),
                    search_title=fold(title),
                    search_document=fold(
                        " ".join(
                            [title, " ".join(keywords), summary, description, organisation.name]
                        )
                    ),
                )
                if model is Offer:
                    listing.trl = rng.randint(3, 9)
                    listing.ip_status = rng.choice(IPStatus.values)
                    listing.price_vnd = rng.choice([None, rng.randint(1, 2000) * 1_000_000])
                else:
                    listing.budget_vnd = rng.choice([None, rng.randint(1, 2000) * 1_000_000])
                batch.append(listing)
                if len(batch) == 5000:
                    model.objects.bulk_create(batch)
                    batch = []
            model.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE marketplace_offer")
        cursor.execute("ANALYZE marketplace_request")


def _time(client: Client, urls: list[str]) -> list[float]:
    for url in urls[:5]:
        client.get(url)
    times = []
    for i in range(SAMPLES):
        url = urls[i % len(urls)]
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def _report(label: str, times: list[float], target: float | None) -> None:
    times = sorted(times)
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    verdict = "" if target is None else (" ok" if p50 < target else f" ABOVE {target:.0f} ms")
    print(f"{label:<44} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms{verdict}")


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if Offer.objects.count() != OFFERS or Request.objects.count() != REQUESTS:
        _fill()
        print(
            f"filled {OFFERS} offers and {REQUESTS} requests in "
            f"{time.perf_counter() - started:.1f} s"
        )
    else:
        print(f"reusing {OFFERS} offers and {REQUESTS} requests in {BENCH_DB}")
    searches = [
        ("may say lua", "post_harvest", "can-tho"),
        ("he thong tuoi ca phe", "agriculture", "dak-lak"),
        ("chế phẩm rơm rạ", "biotech", "an-giang"),
        ("kho lanh thanh long", "post_harvest", "tay-ninh"),
        ("may boc vo dieu", "mechanical", "dong-nai"),
    ]
    pages = [
        "/san/cong-nghe/?" + urlencode({"q": q, "sector": sector, "province": province})
        for q, sector, province in searches
    ]
    apis = ["/api/v1/offers/?" + urlencode({"q": q}) for q, _sector, _province in searches]
    rng = random.Random(7)
    top = Offer.objects.order_by("-pk").values_list("pk", flat=True).first()
    details = [f"/san/cong-nghe/{rng.randint(1, top)}/" for _ in range(SAMPLES)]
    client = Client()
    with override_settings(DEBUG=False):
        print(f"{SAMPLES} requests each, in-process (Django test client), PostgreSQL {BENCH_DB}")
        _report("browse page: query + sector + province", _time(client, pages), 150)
        _report("list API: same query", _time(client, apis), 100)
        _report("offer detail page", _time(client, details), None)


if __name__ == "__main__":
    main()
