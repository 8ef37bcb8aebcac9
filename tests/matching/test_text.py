from matching.engine.text import clean, fold, fold_text, marked, stem, tokenize


def test_fold_removes_diacritics_and_d_stroke():
    assert fold("máy sấy lúa đồng nai") == "may say lua dong nai"
    assert fold("ĐƯỜNG".lower()) == "duong"


def test_fold_text_matches_unaccented_typing():
    assert fold_text("Máy SẤY lúa") == fold_text("may say lua") == "may say lua"


def test_clean_applies_nfc_so_decomposed_input_matches():
    decomposed = "ma\u0301y sa\u0302\u0301y"
    assert clean(decomposed) == "máy sấy"
    assert [t.key for t in tokenize(decomposed)] == ["may", "say"]


def test_marked_ignores_old_and_new_tone_placement():
    assert marked("hoá") == marked("hóa") == "hoa1"
    assert marked("thuỷ") == marked("thủy") == "thuy3"
    assert marked("lúa") != marked("lụa")


def test_tokenize_strips_html_emoji_and_punctuation():
    tokens = tokenize("<p>Máy <b>sấy</b> 🌾🔥 lúa!!!</p><script>alert('x')</script> &amp; trấu")
    assert [t.word for t in tokens] == ["máy", "sấy", "lúa", "trấu"]


def test_tokenize_keeps_mixed_scripts_without_crashing():
    tokens = tokenize("Máy sấy 烘干机 сушилка dryer")
    assert [t.key for t in tokens] == ["may", "say", "烘干机", "сушилка", "dryer"]


def test_tokenize_handles_a_5000_character_description():
    text = ("Hệ thống xử lý nước thải chăn nuôi, biogas 🐷 <br> " * 200)[:5000]
    tokens = tokenize(text)
    assert len("Hệ thống xử lý nước thải chăn nuôi, biogas 🐷 <br> ") == 50
    assert len(tokens) == 100 * 9
    assert tokens[0].key == "he"


def test_tokenize_drops_numbers_and_single_ascii_letters():
    assert [t.key for t in tokenize("12 tấn/mẻ, 3 pha 15 kW x y")] == ["tan", "me", "pha", "kw"]


def test_tokenize_marks_clause_boundaries():
    tokens = tokenize("máy sấy, lúa")
    assert [t.clause for t in tokens] == [0, 0, 1]


def test_stopwords_accented_and_bare():
    tokens = tokenize("Cần máy sấy cho các hợp tác xã và the farmers")
    assert [t.word for t in tokens if not t.stop] == [
        "máy",
        "sấy",
        "cho",
        "hợp",
        "tác",
        "xã",
        "farmers",
    ]


def test_bare_ambiguous_syllables_are_not_stopwords():
    # "trong" may be "trồng" (to plant), "den" may be "đèn" (lamp): kept when typed bare.
    assert [t.stop for t in tokenize("trong den")] == [False, False]


def test_stem_english_suffixes_but_never_vietnamese_syllables():
    assert [stem(w) for w in ["dryers", "drying", "treated", "cooling", "batteries"]] == [
        "dryer",
        "dry",
        "treat",
        "cool",
        "battery",
    ]
    assert [stem(w) for w in ["nuoc", "thai", "chuong", "nghiep"]] == [
        "nuoc",
        "thai",
        "chuong",
        "nghiep",
    ]


def test_tokenize_empty_and_none():
    assert tokenize(None) == []
    assert tokenize("") == []
    assert tokenize("🙂🙂 !!! ...") == []
