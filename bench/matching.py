"""Matching benchmark (not a test).

Fills its own PostgreSQL database (bench_matching, next to DATABASE_URL's) with 50,000 offers
and 20,000 requests of synthetic Vietnamese and English text built from the lexicon's
vocabulary, then times, in one run:

- re-indexing everything (features of all 70,000 listings computed and stored), and the CPU
  it took in this process, in its worker processes and in the PostgreSQL backend,
- a process building its in-memory index from the stored features,
- matching one request (offers for it, with explanations): p50 and p95 over SAMPLES requests,
  through the engine and through the selector pages use (engine + one query for the listings),
- indexing one new listing (features, stored row, in-memory index),
- rank_bm25's BM25Okapi scoring the same request texts over the same 50,000 offers in-process,
  and the ratio of its p50 to the engine's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/matching.py

Targets: p50 to match one request under 50 ms; re-indexing everything under 2 minutes.
"""

import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OFFERS = int(os.environ.get("BENCH_OFFERS", "50000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "200"))
BM25_SAMPLES = int(os.environ.get("BENCH_BM25_SAMPLES", "30"))
from _database import bench_database_url  # noqa: E402

BENCH_DB = "bench_matching"


os.environ["DATABASE_URL"] = bench_database_url(script="bench/matching.py", name=BENCH_DB)
os.environ.pop("REDIS_URL", None)
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402
from datetime import timedelta  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organisation, OrganisationType  # noqa: E402
from accounts.provinces import PROVINCE_CHOICES  # noqa: E402
from marketplace.models import Offer, Request  # noqa: E402
from marketplace.taxonomy import ListingStatus, Sector  # noqa: E402
from matching import runtime, selectors, services  # noqa: E402
from matching.engine.evaluate import bm25_text  # noqa: E402
from matching.engine.lexicon import LEXICON_DIR, read_synonyms  # noqa: E402
from matching.models import ListingFeatures  # noqa: E402

logging.getLogger("celery").setLevel(logging.WARNING)

HEADS_VI = ["Máy", "Hệ thống", "Dây chuyền", "Quy trình", "Thiết bị", "Chế phẩm", "Công nghệ"]
HEADS_EN = ["Machine for", "System for", "Line for", "Process for", "Kit for", "Service for"]
NEEDS_VI = ["Cần", "HTX cần", "Tìm", "Muốn mua", "can", "tim"]
CONNECT_VI = ["cho", "dùng cho", "kết hợp", "giúp", "để", "và", "tại", "với"]
CONNECT_EN = ["for", "with", "and", "to", "in", "using", "of"]
PROBLEMS = [
    "mùa mưa phơi không kịp",
    "bị hàng xóm phản ánh mùi hôi",
    "thiếu nhân công",
    "rớt giá khi vào vụ",
    "nước bị nhiễm mặn",
    "tiền điện quá cao",
    "sâu bệnh phá hoại",
    "hao hụt sau thu hoạch lớn",
    "hay bị mất điện",
    "chất lượng không đồng đều",
]


def vocabulary() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Vietnamese and English terms of the lexicon, by sector."""
    vi: dict[str, list[str]] = {}
    en: dict[str, list[str]] = {}
    for entry in read_synonyms(LEXICON_DIR / "synonyms.tsv"):
        sector = entry.sector if entry.sector in Sector.values else "other"
        for term in entry.terms:
            (en if term.isascii() else vi).setdefault(sector, []).append(term)
    return vi, en


def sentence(rng, words, connect, n) -> str:
    parts = [rng.choice(words)]
    for _ in range(n):
        parts += [rng.choice(connect), rng.choice(words)]
    return " ".join(parts)


def synthetic(rng, kind, vi, en, general_vi, general_en) -> dict:
    sector = rng.choice(Sector.values)
    english = rng.random() < 0.2
    words = (en if english else vi).get(sector) or general_en
    words = words + (general_en if english else general_vi)
    connect = CONNECT_EN if english else CONNECT_VI
    if kind == "offer":
        head = rng.choice(HEADS_EN if english else HEADS_VI)
    else:
        head = "Need" if english else rng.choice(NEEDS_VI)
    title = f"{head} {sentence(rng, words, connect, 2)}"[:200]
    summary = sentence(rng, words, connect, 4)[:500]
    body = ". ".join(sentence(rng, words, connect, rng.randint(4, 8)) for _ in range(4))
    if kind == "request" and not english:
        body += ". " + rng.choice(PROBLEMS)
    if rng.random() < 0.3:
        title = title.lower()
    return {
        "language": "en" if english else "vi",
        "title": title,
        "summary": summary,
        "description": body[:5000],
        "sector": sector,
        "keywords": [rng.choice(words) for _ in range(rng.randint(2, 6))],
        "province": rng.choice(PROVINCE_CHOICES)[0],
    }


def fill() -> None:
    if Offer.objects.count() >= OFFERS and Request.objects.count() >= REQUESTS:
        return
    print(f"filling {OFFERS} offers and {REQUESTS} requests ...", flush=True)
    started = time.perf_counter()
    Offer.objects.all().delete()
    Request.objects.all().delete()
    ListingFeatures.objects.all().delete()
    rng = random.Random(2026)
    vi, en = vocabulary()
    general_vi, general_en = vi.get("other", []) or vi["agriculture"], en["agriculture"]
    types = [t for t, _label in OrganisationType.choices]
    orgs = list(Organisation.objects.filter(slug__startswith="bench-match-"))
    if not orgs:
        orgs = Organisation.objects.bulk_create(
            Organisation(name=f"Tổ chức {n}", slug=f"bench-match-{n}", type=rng.choice(types))
            for n in range(500)
        )
    now = timezone.now()
    for model, count, prefix in ((Offer, OFFERS, "BM-O-"), (Request, REQUESTS, "BM-R-")):
        kind = "offer" if model is Offer else "request"
        batch = []
        for n in range(count):
            fields = synthetic(rng, kind, vi, en, general_vi, general_en)
            extra = (
                {"trl": rng.randint(3, 9), "price_vnd": rng.randint(1, 3000) * 1_000_000}
                if model is Offer
                else {"budget_vnd": rng.randint(1, 3000) * 1_000_000}
            )
            batch.append(
                model(
                    external_id=f"{prefix}{n:06d}",
                    organisation=rng.choice(orgs),
                    status=ListingStatus.PUBLISHED,
                    published_at=now,
                    expires_at=now + timedelta(days=365),
                    **fields,
                    **extra,
                )
            )
            if len(batch) == 5000:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)
    print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)


def children_cpu() -> float:
    """CPU seconds of this process's finished child processes (the re-index's workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def database_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (nan unless the server is local)."""
    from django.db import connection

    if connection.settings_dict["HOST"] not in ("", "localhost", "127.0.0.1", "::1"):
        return float("nan")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    call_command("migrate", verbosity=0)
    fill()

    started = time.perf_counter()
    cpu = (time.process_time(), children_cpu(), database_cpu())
    if os.environ.get("BENCH_SKIP_REINDEX") and ListingFeatures.objects.exists():
        indexed = ListingFeatures.objects.count()  # a quick re-run of the timings below
        reindex_s = float("nan")
    else:
        indexed = services.listings_reindex_all()
        reindex_s = time.perf_counter() - started
    reindex_cpu = (
        time.process_time() - cpu[0],
        children_cpu() - cpu[1],
        database_cpu() - cpu[2],
    )

    runtime.reset()
    started = time.perf_counter()
    engine = runtime.get_engine()
    load_s = time.perf_counter() - started

    rng = random.Random(7)
    request_ids = list(Request.objects.values_list("pk", flat=True))
    sample_ids = rng.sample(request_ids, min(SAMPLES, len(request_ids)))
    rank_ms = []
    for pk in sample_ids:
        features = engine.indexes["request"].features(pk)
        t0 = time.perf_counter()
        engine.match(features, "offer", limit=10, explain=False)
        rank_ms.append((time.perf_counter() - t0) * 1000)
    engine_ms = []
    for pk in sample_ids:
        t0 = time.perf_counter()
        engine.offers_for_request(pk, limit=10)
        engine_ms.append((time.perf_counter() - t0) * 1000)
    requests = {
        r.pk: r for r in Request.objects.filter(pk__in=sample_ids).select_related("organisation")
    }
    selector_ms = []
    for pk in sample_ids[: min(100, len(sample_ids))]:
        t0 = time.perf_counter()
        selectors.suggestions_for_listing(requests[pk], limit=10)
        selector_ms.append((time.perf_counter() - t0) * 1000)

    org = Organisation.objects.filter(slug__startswith="bench-match-").first()
    vi, en = vocabulary()
    fields = synthetic(random.Random(99), "offer", vi, en, vi["agriculture"], en["agriculture"])
    now = timezone.now()
    with transaction.atomic():
        new_offer = Offer.objects.create(
            external_id=f"BM-NEW-{int(time.time())}",
            organisation=org,
            status=ListingStatus.PUBLISHED,
            published_at=now,
            expires_at=now + timedelta(days=365),
            **fields,
        )
        new_offer = Offer.objects.select_related("organisation").get(pk=new_offer.pk)
        t0 = time.perf_counter()
        services.listing_index(listing=new_offer)
        index_one_ms = (time.perf_counter() - t0) * 1000
        transaction.set_rollback(True)
    runtime.reset()

    from rank_bm25 import BM25Okapi

    offers = list(
        Offer.objects.filter(status=ListingStatus.PUBLISHED).values(
            "title", "summary", "description", "keywords"
        )
    )
    t0 = time.perf_counter()
    bm25 = BM25Okapi([bm25_text(o) for o in offers])
    bm25_build_s = time.perf_counter() - t0
    bm25_ms = []
    for pk in sample_ids[:BM25_SAMPLES]:
        r = requests[pk]
        query = bm25_text(
            {
                "title": r.title,
                "summary": r.summary,
                "description": r.description,
                "keywords": r.keywords,
            }
        )
        t0 = time.perf_counter()
        scores = bm25.get_scores(query)
        sorted(range(len(scores)), key=lambda i: -scores[i])[:10]
        bm25_ms.append((time.perf_counter() - t0) * 1000)

    r50, r95 = percentiles(rank_ms)
    e50, e95 = percentiles(engine_ms)
    s50, s95 = percentiles(selector_ms)
    b50, b95 = percentiles(bm25_ms)
    print(f"corpus: {len(offers)} offers, {len(request_ids)} requests ({indexed} indexed)")
    print(f"re-index everything:           {reindex_s:7.1f} s   (target < 120 s)")
    per_listing = sum(reindex_cpu[:2]) / max(indexed, 1) * 1000
    print(
        f"  CPU: this process {reindex_cpu[0]:.1f} s, worker processes {reindex_cpu[1]:.1f} s "
        f"({per_listing:.2f} ms a listing), PostgreSQL backend {reindex_cpu[2]:.1f} s"
    )
    print(f"process loads stored index:    {load_s:7.1f} s")
    print(f"rank one request (no reasons): p50 {r50:6.1f} ms  p95 {r95:6.1f} ms")
    print(f"match one request, engine:     p50 {e50:6.1f} ms  p95 {e95:6.1f} ms  (target p50 < 50)")
    print(f"match one request, selector:   p50 {s50:6.1f} ms  p95 {s95:6.1f} ms")
    print(f"index one new listing:         {index_one_ms:7.1f} ms")
    print(f"rank_bm25 BM25Okapi (same corpus, {len(bm25_ms)} queries, build {bm25_build_s:.1f} s):")
    print(f"                               p50 {b50:6.1f} ms  p95 {b95:6.1f} ms")
    print(f"engine (with reasons) is {b50 / e50:.1f}x faster than rank_bm25 at p50")


if __name__ == "__main__":
    main()
