"""Ranking metrics and the evaluation of the engine against a plain BM25 baseline on a labelled
set in the exchange format (listings.jsonl + labels.jsonl)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .text import fold_text

K_NDCG = 10
K_PRECISION = 5
K_RECALL = 10
RELEVANT = 2

Ranker = Callable[[str], list[str]]


def read_jsonl(path: Path | str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def labels_by_request(labels: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in labels:
        out[row["request"]][row["offer"]] = int(row["grade"])
    return dict(out)


def dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at(ranked: Sequence[str], grades: dict[str, int], k: int = K_NDCG) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg([grades.get(o, 0) for o in ranked[:k]]) / ideal


def precision_at(ranked: Sequence[str], grades: dict[str, int], k: int = K_PRECISION) -> float:
    """Relevant among the first k, out of the most that could be relevant there:
    min(k, number of relevant offers). A request with two good offers that ranks both first
    scores 1.0, not 0.4."""
    relevant = sum(1 for g in grades.values() if g >= RELEVANT)
    if relevant == 0:
        return 0.0
    return sum(1 for o in ranked[:k] if grades.get(o, 0) >= RELEVANT) / min(k, relevant)


def precision_at_flat(ranked: Sequence[str], grades: dict[str, int], k: int = K_PRECISION) -> float:
    """The textbook P@k: relevant among the first k, divided by k whatever the request has.
    Reported beside P@5 so the two readings of the metric can be compared."""
    return sum(1 for o in ranked[:k] if grades.get(o, 0) >= RELEVANT) / k


def reciprocal_rank(ranked: Sequence[str], grades: dict[str, int]) -> float:
    for i, o in enumerate(ranked):
        if grades.get(o, 0) >= RELEVANT:
            return 1.0 / (i + 1)
    return 0.0


def recall_at(ranked: Sequence[str], grades: dict[str, int], k: int = K_RECALL) -> float:
    relevant = {o for o, g in grades.items() if g >= RELEVANT}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def evaluate(ranker: Ranker, labels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean NDCG@10, P@5, MRR and recall@10 over the labelled requests (unlabelled pairs
    count as grade 0)."""
    rows = []
    for request, grades in sorted(labels.items()):
        ranked = ranker(request)
        rows.append(
            (
                ndcg_at(ranked, grades),
                precision_at(ranked, grades),
                reciprocal_rank(ranked, grades),
                recall_at(ranked, grades),
                precision_at_flat(ranked, grades),
            )
        )
    n = len(rows) or 1
    return {
        "ndcg@10": sum(r[0] for r in rows) / n,
        "p@5": sum(r[1] for r in rows) / n,
        "mrr": sum(r[2] for r in rows) / n,
        "recall@10": sum(r[3] for r in rows) / n,
        "p@5_flat": sum(r[4] for r in rows) / n,
        "requests": len(rows),
    }


def bm25_text(listing: dict[str, Any]) -> list[str]:
    parts = [
        listing.get("title") or "",
        listing.get("summary") or "",
        listing.get("description") or "",
        " ".join(listing.get("keywords") or []),
    ]
    return fold_text(" ".join(parts)).split()


def bm25_ranker(listings: Sequence[dict[str, Any]]) -> Ranker:
    """The baseline: rank_bm25's BM25Okapi over accent-folded title, summary, description and
    keywords, the request's same text as the query."""
    from rank_bm25 import BM25Okapi

    offers = [x for x in listings if x["kind"] == "offer"]
    requests = {x["external_id"]: x for x in listings if x["kind"] == "request"}
    bm25 = BM25Okapi([bm25_text(o) for o in offers])
    ids = [o["external_id"] for o in offers]

    def rank(request_id: str) -> list[str]:
        scores = bm25.get_scores(bm25_text(requests[request_id]))
        order = sorted(range(len(ids)), key=lambda i: (-scores[i], i))
        return [ids[i] for i in order]

    return rank


def engine_ranker(listings: Sequence[dict[str, Any]], engine: Any = None) -> Ranker:
    from .engine import MatchingEngine

    engine = engine or MatchingEngine()
    for listing in listings:
        engine.add(listing)

    def rank(request_id: str) -> list[str]:
        return [
            str(m.key) for m in engine.offers_for_request(request_id, limit=K_NDCG, explain=False)
        ]

    return rank


def compare(listings_path: Path | str, labels_path: Path | str) -> dict[str, dict[str, float]]:
    listings = read_jsonl(listings_path)
    labels = labels_by_request(read_jsonl(labels_path))
    return {
        "engine": evaluate(engine_ranker(listings), labels),
        "bm25": evaluate(bm25_ranker(listings), labels),
    }


def format_report(results: dict[str, dict[str, float]]) -> str:
    lines = [f"{'':8} {'NDCG@10':>8} {'P@5':>6} {'MRR':>6} {'R@10':>6} {'P@5/5':>6}  requests"]
    for name, m in results.items():
        lines.append(
            f"{name:8} {m['ndcg@10']:8.3f} {m['p@5']:6.3f} {m['mrr']:6.3f} "
            f"{m['recall@10']:6.3f} {m.get('p@5_flat', 0.0):6.3f}  {int(m['requests'])}"
        )
    lines.append("P@5 divides by min(5, relevant offers); P@5/5 divides by 5.")
    if "engine" in results and "bm25" in results and results["bm25"]["ndcg@10"] > 0:
        ratio = results["engine"]["ndcg@10"] / results["bm25"]["ndcg@10"]
        lines.append(f"engine / bm25 NDCG@10 = {ratio:.2f}x")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a developer's shortcut
    import sys

    print(format_report(compare(sys.argv[1], sys.argv[2])))
