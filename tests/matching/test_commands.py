import json
from io import StringIO

import pytest
from django.core.management import call_command

from marketplace.models import Offer
from marketplace.taxonomy import ListingStatus, Sector
from matching.models import LexiconEntry, ListingFeatures
from tests.matching.factories import OfferFactory, RequestFactory, indexed_offer, indexed_request

pytestmark = pytest.mark.django_db


def _evaluate_in_place(folder) -> StringIO:
    """evaluate_matching on the folder's listings and labels, in the test's own database."""
    out = StringIO()
    call_command(
        "evaluate_matching",
        "--listings",
        str(folder / "listings.jsonl"),
        "--labels",
        str(folder / "labels.jsonl"),
        "--in-place",
        stdout=out,
    )
    return out


def test_match_export_writes_one_line_per_published_request_best_first():
    need = indexed_request(
        title="cần máy sấy lúa", description="máy sấy lúa đốt trấu", sector=Sector.POST_HARVEST
    )
    RequestFactory(draft=True, title="nháp máy sấy lúa")
    weak = indexed_offer(title="Máy sấy nông sản", description="sấy nông sản")
    strong = OfferFactory(title="Máy sấy lúa đốt trấu", description="máy sấy lúa, trấu")
    # `strong` was published without the signal: the command indexes it first.
    out = StringIO()
    call_command("match_export", "--top", "5", stdout=out)
    [line] = out.getvalue().splitlines()
    record = json.loads(line)
    assert record["request"] == need.external_id
    assert [m["offer"] for m in record["matches"]] == [strong.external_id, weak.external_id]
    assert record["matches"][0]["score"] > record["matches"][1]["score"]
    assert record["matches"][0]["reasons"][0].startswith("Khớp: ")
    assert ListingFeatures.objects.filter(offer=strong, is_published=True).count() == 1


def test_evaluate_matching_prints_engine_and_bm25_and_leaves_nothing_behind(shared_data):
    folder = shared_data / "matching-dev"
    out = _evaluate_in_place(folder)
    lines = out.getvalue().splitlines()
    assert lines[0] == "          NDCG@10    P@5    MRR   R@10  P@5/5  requests"
    engine = lines[1].split()
    bm25 = lines[2].split()
    assert (engine[0], bm25[0]) == ("engine", "bm25")
    assert bm25[1:4] == ["0.691", "0.677", "0.939"]
    assert float(engine[1]) >= 0.90 and float(engine[2]) >= 0.94
    assert lines[3] == "P@5 divides by min(5, relevant offers); P@5/5 divides by 5."
    assert lines[4].startswith("engine / bm25 NDCG@10 = ")
    assert lines[5] == "feedback stored: useful 0, not relevant 0"
    assert Offer.objects.count() == 0  # rolled back
    assert ListingFeatures.objects.count() == 0


def test_evaluate_matching_on_the_held_out_set():
    from pathlib import Path

    folder = Path(__file__).parent / "data"
    out = _evaluate_in_place(folder)
    engine = out.getvalue().splitlines()[1].split()
    assert engine[-1] == "16"
    assert float(engine[1]) >= 0.93


def test_evaluate_matching_reports_the_feedback_users_stored(shared_data):
    from matching.models import Verdict
    from tests.matching.factories import FeedbackFactory

    FeedbackFactory(verdict=Verdict.USEFUL)
    FeedbackFactory(verdict=Verdict.USEFUL)
    FeedbackFactory(verdict=Verdict.NOT_RELEVANT)
    folder = shared_data / "matching-dev"
    out = _evaluate_in_place(folder)
    assert out.getvalue().splitlines()[-1] == "feedback stored: useful 2, not relevant 1"


def test_evaluate_matching_on_a_fresh_clone_uses_a_throwaway_database(shared_data, tmp_path):
    """By default the command never touches the configured database: on a newcomer's clone,
    where no database exists yet, it still runs (and creates none)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    folder = shared_data / "matching-dev"
    database = tmp_path / "never-created.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["SQLITE_PATH"] = str(database)
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "evaluate_matching",
            "--listings",
            str(folder / "listings.jsonl"),
            "--labels",
            str(folder / "labels.jsonl"),
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "          NDCG@10    P@5    MRR   R@10  P@5/5  requests"
    assert lines[2].split()[:4] == ["bm25", "0.691", "0.677", "0.939"]
    assert float(lines[1].split()[1]) >= 0.90
    assert lines[-1] == "feedback stored: useful 0, not relevant 0"
    assert not database.exists() or database.stat().st_size == 0


def test_lexicon_edit_in_the_admin_reindexes_listings(admin_client):
    need = indexed_request(title="cần máy xát vỏ quả mắc khén", description="mắc khén")
    offer = indexed_offer(title="Máy xay hạt tiêu rừng", description="hạt tiêu rừng")
    from matching.selectors import suggestions_for_listing

    before = suggestions_for_listing(need)[0]
    assert "mắc khén ≈ hạt tiêu rừng" not in before.reasons_text("vi")
    response = admin_client.post(
        "/admin/matching/lexiconentry/add/",
        {
            "kind": "synonym",
            "sector": "agriculture",
            "terms": "mắc khén | hạt tiêu rừng | tiêu rừng",
            "solutions": "",
            "weight": "1",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert LexiconEntry.objects.filter(terms__startswith="mắc khén").count() == 1
    after = suggestions_for_listing(need)[0]
    assert after.listing == offer
    assert "mắc khén ≈ hạt tiêu rừng" in after.reasons_text("vi")
    assert after.score > before.score


def test_matching_reindex_command_reports_the_count():
    indexed_offer(title="Máy sấy lúa")
    out = StringIO()
    call_command("matching_reindex", stdout=out)
    assert out.getvalue().startswith("1 listings indexed in ")


def test_demo_seed_indexes_published_listings_once():
    from matching.demo import seed

    OfferFactory(title="Máy sấy lúa")
    RequestFactory(title="Cần máy sấy lúa")
    RequestFactory(title="Nháp", draft=True)
    from django.core.management.base import OutputWrapper
    from django.core.management.color import no_style

    out = StringIO()
    seed(stdout=OutputWrapper(out), style=no_style())
    seed(stdout=OutputWrapper(out), style=no_style())
    assert out.getvalue().splitlines() == [
        "  matching: 2 published listing(s) indexed for suggestions (2 by this step)",
        "  matching: 2 published listing(s) indexed for suggestions (0 by this step)",
    ]
    assert ListingFeatures.objects.count() == 2


def test_matching_reindex_command_with_workers_and_small_batches():
    offers = [indexed_offer(title=f"Máy sấy lúa {n}") for n in range(5)]
    draft = indexed_offer(title="Máy sấy lúa nháp")
    Offer.objects.filter(pk=draft.pk).update(status=ListingStatus.DRAFT)
    out = StringIO()
    call_command("matching_reindex", "--workers", "2", "--batch", "2", stdout=out)
    assert out.getvalue().startswith("5 listings indexed in ")
    assert set(ListingFeatures.objects.values_list("offer_id", flat=True)) == {o.pk for o in offers}


def test_match_export_on_an_unmigrated_database_says_what_to_do(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["SQLITE_PATH"] = str(tmp_path / "empty.sqlite3")
    done = subprocess.run(
        [sys.executable, "manage.py", "match_export", "--top", "3"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "run `make demo`" in done.stderr
    assert "Traceback" not in done.stderr
