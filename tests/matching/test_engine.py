import pytest

from matching.engine import MatchingEngine, render_reasons
from matching.engine.explain import Reason, format_vnd


def offer(external_id, title, **extra):
    base = {
        "kind": "offer",
        "external_id": external_id,
        "language": "vi",
        "title": title,
        "description": extra.pop("description", title),
        "sector": "mechanical",
        "owner": {"name": "Công ty", "type": "sme"},
    }
    base.update(extra)
    return base


def request(external_id, title, **extra):
    base = offer(external_id, title, **extra)
    base["kind"] = "request"
    base.setdefault("owner", {"name": "Nông dân", "type": "farmer"})
    return base


@pytest.fixture
def engine():
    engine = MatchingEngine()
    for listing in [
        offer("O-dryer", "Máy sấy lúa tháp tuần hoàn đốt trấu", sector="post_harvest"),
        offer("O-biogas", "Hầm biogas phủ bạt HDPE cho trại lợn", sector="environment"),
        offer("O-plasma", "Máy cắt plasma CNC cho xưởng cơ khí"),
        offer("O-drip", "Hệ thống tưới nhỏ giọt cho cà phê", sector="agriculture"),
        offer("O-led", "Đèn LED kích thích thanh long ra hoa", sector="agriculture"),
    ]:
        engine.add(listing)
    return engine


def keys(matches):
    return [m.key for m in matches]


def test_request_without_diacritics_finds_the_accented_offer(engine):
    engine.add(request("R1", "can may say lua cho htx", sector="post_harvest"))
    assert keys(engine.offers_for_request("R1"))[0] == "O-dryer"


def test_regional_synonym_brings_heo_to_lon_with_a_reason(engine):
    engine.add(request("R2", "chuồng heo bốc mùi hôi", sector="livestock"))
    matches = engine.offers_for_request("R2")
    assert keys(matches) == ["O-biogas"]
    assert "heo ≈ lợn" in render_reasons(matches[0].reasons, "vi")


def test_problem_to_solution_link_meets_an_offer_without_shared_words():
    engine = MatchingEngine()
    engine.add(offer("O-ro", "Trạm lọc RO khử mặn cấp nước uống", sector="environment"))
    engine.add(offer("O-cnc", "Máy phay CNC mini"))
    engine.add(request("R", "giếng nhiễm mặn", sector="environment"))
    matches = engine.offers_for_request("R")
    assert keys(matches) == ["O-ro"]
    assert render_reasons(matches[0].reasons, "vi") == [
        "Khớp: mặn",
        "nhiễm mặn → lọc RO",
        "nhiễm mặn → khử mặn",
    ]


def test_literal_match_outranks_a_synonym_match():
    engine = MatchingEngine()
    engine.add(offer("O-lon", "Đệm lót sinh học cho trại lợn", sector="livestock"))
    engine.add(offer("O-heo", "Đệm lót sinh học cho trại heo", sector="livestock"))
    engine.add(request("R", "đệm lót trại heo", sector="livestock"))
    assert keys(engine.offers_for_request("R")) == ["O-heo", "O-lon"]


def test_accented_words_are_a_stronger_signal_when_both_sides_have_them():
    engine = MatchingEngine()
    engine.add(offer("O-bare", "may say lua"))
    engine.add(offer("O-marked", "máy sấy lúa"))
    engine.add(request("R-marked", "máy sấy lúa"))
    engine.add(request("R-bare", "may say lua"))
    marked = engine.offers_for_request("R-marked")
    assert keys(marked) == ["O-marked", "O-bare"]
    assert marked[0].text_score > marked[1].text_score
    assert sorted(keys(engine.offers_for_request("R-bare"))) == ["O-bare", "O-marked"]


def test_cross_language_translation_is_found():
    engine = MatchingEngine()
    engine.add(offer("O-en", "Solar dryer for coffee", language="en", sector="post_harvest"))
    engine.add(offer("O-cnc", "Máy phay CNC mini"))
    engine.add(request("R", "cần máy sấy cà phê", sector="post_harvest"))
    matches = engine.offers_for_request("R")
    assert keys(matches) == ["O-en", "O-cnc"]  # the CNC mill shares only "máy"
    assert render_reasons(matches[0].reasons, "vi") == ["cà phê ≈ coffee", "sấy ≈ dryer"]


def test_index_is_incremental_update_and_remove(engine):
    engine.add(request("R", "máy cắt sắt nhanh cho xưởng cửa sắt"))
    assert keys(engine.offers_for_request("R"))[0] == "O-plasma"
    engine.add(offer("O-laser", "Máy cắt laser sắt thép cho xưởng cửa sắt, cổng"))
    assert keys(engine.offers_for_request("R"))[0] == "O-laser"
    engine.add(offer("O-laser", "Máy ấp trứng gà", sector="livestock"))  # edited
    assert keys(engine.offers_for_request("R"))[0] == "O-plasma"
    assert engine.remove("offer", "O-plasma") is True
    assert "O-plasma" not in keys(engine.offers_for_request("R"))
    assert len(engine.indexes["offer"]) == 5


def test_a_listing_that_changes_kind_leaves_the_other_index(engine):
    engine.add(request("X", "máy cắt plasma"))
    engine.add(offer("X", "máy cắt plasma"))
    assert "X" not in engine.indexes["request"]
    assert "X" in engine.indexes["offer"]


def test_empty_or_meaningless_request_gets_no_suggestions(engine):
    engine.add(request("R-empty", "", description=""))
    engine.add(request("R-noise", "🙂 !!! cần gấp", description="cần gấp"))
    assert engine.offers_for_request("R-empty") == []
    assert engine.offers_for_request("R-noise") == []


def test_one_word_request_gets_sensible_suggestions(engine):
    engine.add(request("R", "biogas", description="biogas"))
    assert keys(engine.offers_for_request("R")) == ["O-biogas"]


def test_requests_for_offer_and_similar_offers(engine):
    engine.add(request("R-dry", "cần máy sấy lúa", sector="post_harvest"))
    engine.add(request("R-cut", "cần máy cắt sắt"))
    engine.add(offer("O-dryer-2", "Máy sấy lúa vỉ ngang", sector="post_harvest"))
    assert keys(engine.requests_for_offer("O-dryer")) == ["R-dry"]  # "máy" alone is too weak
    assert keys(engine.similar_offers("O-dryer"))[0] == "O-dryer-2"
    assert "O-dryer" not in keys(engine.similar_offers("O-dryer"))


def test_unknown_listing_has_no_matches(engine):
    assert engine.offers_for_request("nope") == []
    assert engine.requests_for_offer("nope") == []
    assert engine.similar_offers("nope") == []


def test_scores_are_between_zero_and_one_best_first(engine):
    engine.add(request("R", "máy sấy lúa đốt trấu", sector="post_harvest"))
    scores = [m.score for m in engine.offers_for_request("R")]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1.04 for s in scores)


# -- structured compatibility ------------------------------------------------------------------
def meta(kind, **extra):
    base = {"kind": kind, "language": "vi", "sector": "post_harvest"}
    base.update(extra)
    return base


def test_compatibility_within_budget_is_neutral_with_a_reason(engine):
    factor, reasons = engine.compatibility(
        meta("request", budget_vnd=400_000_000), meta("offer", price_vnd=350_000_000)
    )
    assert factor == 1.0
    assert render_reasons(reasons, "vi") == ["Giá 350 triệu ≤ ngân sách 400 triệu"]
    assert render_reasons(reasons, "en") == ["Price 350 million ₫ ≤ budget 400 million ₫"]


def test_compatibility_over_budget_lowers_the_score_and_says_so(engine):
    factor, reasons = engine.compatibility(
        meta("request", budget_vnd=400_000_000), meta("offer", price_vnd=840_000_000)
    )
    assert round(factor, 4) == round(1 / (1 + 0.3 * 1.1), 4) == 0.7519
    assert render_reasons(reasons, "vi") == ["Vượt ngân sách 2,1 lần"]
    assert render_reasons(reasons, "en") == ["Over budget 2.1 times"]


def test_compatibility_far_over_budget_has_a_floor(engine):
    factor, _ = engine.compatibility(
        meta("request", budget_vnd=10_000_000), meta("offer", price_vnd=5_000_000_000)
    )
    assert factor == 0.55


def test_compatibility_farmer_needs_a_proven_technology(engine):
    farmer, _ = engine.compatibility(meta("request", owner_type="farmer"), meta("offer", trl=5))
    institute, reasons = engine.compatibility(
        meta("request", owner_type="institute"), meta("offer", trl=5)
    )
    assert round(farmer, 4) == 0.8
    assert institute == 1.0
    assert render_reasons(reasons, "vi") == ["TRL 5 – còn đang phát triển"]


def test_compatibility_trl_labels(engine):
    _, ready = engine.compatibility(meta("request", owner_type="farmer"), meta("offer", trl=9))
    _, proven = engine.compatibility(meta("request", owner_type="farmer"), meta("offer", trl=7))
    assert render_reasons(ready, "vi") == ["TRL 9 – sẵn sàng thương mại"]
    assert render_reasons(proven, "en") == ["TRL 7 – proven in real conditions"]


def test_compatibility_same_province_and_region_are_tiebreakers(engine):
    same, reasons = engine.compatibility(
        meta("request", province="Đồng Nai"), meta("offer", province="dong-nai")
    )
    region, region_reasons = engine.compatibility(
        meta("request", province="Đồng Nai"), meta("offer", province="Tây Ninh")
    )
    far, far_reasons = engine.compatibility(
        meta("request", province="Đồng Nai"), meta("offer", province="Hà Nội")
    )
    assert (same, region, far) == (1.04, 1.02, 1.0)
    assert render_reasons(reasons, "vi") == ["Cùng tỉnh Đồng Nai"]
    assert render_reasons(region_reasons, "en") == ["Same region: South East"]
    assert far_reasons == []


def test_compatibility_sector_affinity_is_soft(engine):
    affine, _ = engine.compatibility(
        meta("request", sector="post_harvest"), meta("offer", sector="mechanical")
    )
    unrelated, _ = engine.compatibility(
        meta("request", sector="post_harvest"), meta("offer", sector="health")
    )
    assert round(affine, 4) == 0.985
    assert round(unrelated, 4) == 0.895


def test_compatibility_other_language_is_a_small_penalty(engine):
    factor, _ = engine.compatibility(meta("request"), meta("offer", language="en"))
    assert factor == 0.97


def test_over_budget_offer_ranks_below_an_equal_offer_within_budget():
    engine = MatchingEngine()
    engine.add(offer("O-cheap", "Máy sấy lúa", price_vnd=300_000_000))
    engine.add(offer("O-dear", "Máy sấy lúa", price_vnd=900_000_000))
    engine.add(request("R", "máy sấy lúa", budget_vnd=400_000_000))
    matches = engine.offers_for_request("R")
    assert keys(matches) == ["O-cheap", "O-dear"]
    assert render_reasons(matches[1].reasons, "vi")[-1] == "Vượt ngân sách 2,2 lần"


# -- formatting ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "vi", "en"),
    [
        (350_000_000, "350 triệu", "350 million ₫"),
        (1_200_000_000, "1,2 tỷ", "1.2 billion ₫"),
        (95_000, "95.000 đồng", "95,000 ₫"),
        (14_500_000, "14,5 triệu", "14.5 million ₫"),
    ],
)
def test_format_vnd(amount, vi, en):
    assert format_vnd(amount, "vi") == vi
    assert format_vnd(amount, "en") == en


def test_render_terms_reason_in_both_languages():
    reason = Reason("terms", {"terms": ["máy sấy", "lúa", "trấu"]})
    assert render_reasons([reason], "vi") == ["Khớp: máy sấy, lúa, trấu"]
    assert render_reasons([reason], "en") == ["Matches: máy sấy, lúa, trấu"]


def test_explanation_lists_shared_words_once(engine):
    engine.add(request("R", "Cần máy sấy lúa đốt trấu", sector="post_harvest"))
    match = engine.offers_for_request("R")[0]
    assert match.key == "O-dryer"
    assert render_reasons(match.reasons, "vi")[0] == "Khớp: máy sấy, đốt trấu, lúa"


def test_pair_score_equals_the_ranked_score(engine):
    engine.add(request("R", "máy sấy lúa đốt trấu", sector="post_harvest", budget_vnd=1))
    features = engine.features("request", "R")
    ranked = {m.key: m.score for m in engine.offers_for_request("R")}
    for key, score in ranked.items():
        assert engine.pair_score(features, "offer", key).score == pytest.approx(score)
    assert engine.pair_score(features, "offer", "missing") is None
