from pathlib import Path

from matching.engine.lexicon import (
    LEXICON_DIR,
    Lexicon,
    LinkEntry,
    SynonymEntry,
    read_links,
    read_synonyms,
)
from matching.engine.text import tokenize

SECTORS = {
    "agriculture",
    "livestock",
    "aquaculture",
    "post_harvest",
    "food_processing",
    "forestry",
    "environment",
    "energy",
    "mechanical",
    "ict",
    "biotech",
    "health",
    "materials",
    "chemicals",
}


def _concepts(lexicon: Lexicon, text: str) -> set[str]:
    return {lexicon.concept_label[h.concept] for h in lexicon.find(tokenize(text))}


def test_lexicon_files_are_broad():
    synonyms = read_synonyms(LEXICON_DIR / "synonyms.tsv")
    links = read_links(LEXICON_DIR / "links.tsv")
    assert len(synonyms) >= 500
    assert len(links) >= 150
    assert SECTORS <= {entry.sector for entry in synonyms}
    assert sum(len(entry.terms) for entry in synonyms) >= 2500


def test_regional_synonyms_share_a_concept():
    lexicon = Lexicon.from_files()
    for a, b in [
        ("heo", "lợn"),
        ("bắp", "ngô"),
        ("trái", "quả"),
        ("khóm", "dứa"),
        ("thơm", "dứa"),
        ("đậu phộng", "lạc"),
        ("khoai mì", "sắn"),
    ]:
        assert lexicon.concepts_for_term(a) & lexicon.concepts_for_term(b), (a, b)


def test_vietnamese_english_equivalents_share_a_concept():
    lexicon = Lexicon.from_files()
    for vi, en in [
        ("sấy", "drying"),
        ("sấy", "dryer"),
        ("nước thải", "wastewater"),
        ("phân bón hữu cơ", "organic fertiliser"),
        ("kho lạnh", "cold storage"),
        ("tôm hùm", "lobster"),
    ]:
        assert lexicon.concepts_for_term(vi) & lexicon.concepts_for_term(en), (vi, en)


def test_find_matches_text_typed_without_diacritics():
    lexicon = Lexicon.from_files()
    assert {"heo", "nước thải chăn nuôi", "nước thải", "mùi hôi", "phản ánh"} <= _concepts(
        lexicon, "nuoc thai chuong heo boc mui, hang xom phan nan"
    )


def test_find_respects_diacritics_when_written():
    lexicon = Lexicon.from_files()
    assert "heo" in _concepts(lexicon, "lợn")
    assert "heo" not in _concepts(lexicon, "lớn")  # "big", folds to the same "lon"


def test_find_does_not_split_compounds_into_bare_short_words():
    lexicon = Lexicon.from_files()
    # "ro" is reverse osmosis on its own, but "ca ro phi" is tilapia.
    assert "thẩm thấu ngược" not in _concepts(lexicon, "ao ca ro phi")
    assert "cá rô phi" in _concepts(lexicon, "ao ca ro phi")


def test_find_keeps_the_head_word_of_a_compound():
    lexicon = Lexicon.from_files()
    assert {"máy sấy", "sấy", "lúa"} <= _concepts(lexicon, "máy sấy lúa")


def test_find_bare_common_word_is_not_an_accented_domain_word():
    lexicon = Lexicon.from_files()
    # Typed bare, "co" is mostly "có" (have), not "cỏ" (grass).
    assert "thức ăn thô xanh" not in _concepts(lexicon, "co")
    assert "thức ăn thô xanh" in _concepts(lexicon, "cỏ")


def test_links_expand_problem_to_solution_only_when_all_parts_present():
    lexicon = Lexicon(
        [
            SynonymEntry(("mùi hôi", "odour")),
            SynonymEntry(("heo", "lợn")),
            SynonymEntry(("biogas",)),
        ],
        [LinkEntry(problem=("mùi hôi", "heo"), solutions=("biogas",))],
    )
    smell_pig = {h.concept for h in lexicon.find(tokenize("chuồng heo mùi hôi"))}
    smell_only = {h.concept for h in lexicon.find(tokenize("mùi hôi"))}
    biogas = next(iter(lexicon.concepts_for_term("biogas")))
    assert {c: w for c, (w, _src) in lexicon.expand(smell_pig).items()} == {biogas: 1.0}
    assert lexicon.expand(smell_only) == {}


def test_links_reverse_a_single_concept_problem_at_half_weight():
    lexicon = Lexicon(
        [SynonymEntry(("nhiễm mặn", "saline")), SynonymEntry(("lọc ro", "reverse osmosis"))],
        [LinkEntry(problem=("nhiễm mặn",), solutions=("lọc ro",))],
    )
    ro = {h.concept for h in lexicon.find(tokenize("reverse osmosis"))}
    saline = next(iter(lexicon.concepts_for_term("nhiễm mặn")))
    assert {c: w for c, (w, _src) in lexicon.expand(ro).items()} == {saline: 0.5}


def test_link_terms_outside_synonym_groups_become_their_own_concepts(tmp_path: Path):
    (tmp_path / "synonyms.tsv").write_text("# none\nlivestock\theo | lợn\n", encoding="utf-8")
    (tmp_path / "links.tsv").write_text("livestock\theo + bốc mùi\tđệm lót\n", encoding="utf-8")
    lexicon = Lexicon.from_files(tmp_path)
    assert lexicon.synonym_count == 1
    assert lexicon.link_count == 1
    assert _concepts(lexicon, "đệm lót cho lợn") == {"đệm lót", "heo"}
