"""The hand-written line classifier and main-block stage (what runs with the line model off),
and the safety bound."""

from __future__ import annotations

from cleaner import Config, Pipeline, restore


def rules(stages: dict | None = None, **settings) -> Config:
    """A configuration with the line model off, so that ``blocks`` runs."""
    return Config(stages={"line_model": False, **(stages or {})}, **settings)


ARTICLE = [
    "The harbour authority said on Monday that the northern pier would reopen to ferries next spring, after two years of repairs that cost far more than planned.",
    "Engineers found that the old timber piles had rotted further than the first survey showed, and the council had to approve a second budget in the autumn.",
    "Local businesses, which lost many summer visitors while the pier was closed, welcomed the news but asked for a firm date before they hire seasonal staff.",
    "The authority will publish the new timetable in January, a spokeswoman said, once the last safety inspections have been completed by the regional office.",
]
NAV = ["Home", "News", "Sport", "Weather", "Login", "Search", "Contact", "Imprint", "Privacy"]
FOOTER = ["We use cookies to improve your experience.", "Share", "Follow us on Twitter", "All rights reserved", "Terms", "Careers", "Advertise", "Sitemap"]


def page_dump() -> str:
    return "\n".join([*NAV, "Harbour pier to reopen in spring", *ARTICLE, *NAV[:5], *FOOTER]) + "\n"


def test_page_dump_keeps_the_article_and_drops_menus():
    result = Pipeline(rules()).clean(page_dump())
    for paragraph in ARTICLE:
        assert paragraph in result.text
    for label in ("Weather", "Careers", "Sitemap", "Imprint"):
        assert label not in result.text.splitlines()
    assert restore(result.text, result.edits) == result.decoded


def test_removals_explain_themselves():
    result = Pipeline(rules()).clean(page_dump())
    blocks = [e for e in result.edits if e.stage == "blocks"]
    assert blocks, "the classifier removed nothing"
    for edit in blocks:
        assert edit.rule in {"outside_main_block", "bad_line"}
        assert {"label", "words", "stop", "sentence", "lang"} <= set(edit.detail)
        assert edit.detail["lang"] == "English"


def test_extracted_text_is_left_alone():
    """Text without chrome clusters (an extracted article, a recipe) is not thinned out."""
    recipe = "Ingredients\n\n200 g flour\n2 eggs\n1 pinch of salt\n100 ml milk\n\n" + "\n\n".join(ARTICLE) + "\n"
    result = Pipeline(rules()).clean(recipe)
    assert result.text == recipe


def test_scripts_without_stoplists_survive():
    article = "\n\n".join([
        "东京的樱花今年比往年提前一周开放，吸引了大量来自各地的游客前往公园观赏。",
        "气象部门表示，今年春季气温偏高是樱花提前开放的主要原因，预计花期将持续到下周末。",
        "当地商家表示，游客数量的增加带动了周边餐饮和住宿业的收入，许多店铺延长了营业时间。",
        "市政府提醒游客注意交通安排，并建议尽量乘坐公共交通工具前往热门赏花地点。",
    ]) + "\n"
    assert Pipeline(rules()).clean(article).text == article


def test_stage_can_be_switched_off():
    text = page_dump()
    off = Pipeline(rules(stages={"blocks": False})).clean(text)
    assert not [e for e in off.edits if e.stage == "blocks"]


def test_safety_bound_is_flagged_in_the_log():
    text = "\n".join(NAV + FOOTER) + "\n"
    result = Pipeline(rules()).clean(text)
    notes = [r for r in result.records() if r["rule"] == "safety_bound"]
    assert len(notes) == 1 and notes[0]["action"] == "note"
    assert notes[0]["detail"]["removed_share"] >= 0.9
    assert sum(notes[0]["detail"]["words_by_rule"].values()) > 0
    relaxed = Pipeline(rules(thresholds={"apply": {"max_removed_share": 1.0}})).clean(text)
    assert not [r for r in relaxed.records() if r["rule"] == "safety_bound"]


def test_repeated_chrome_labels_do_not_make_a_dump():
    """An extracted article whose gallery repeats a chrome label ("Advertisement" between
    paragraphs) is not a page dump: too few short lines for menus, and the label, however
    often repeated, is one chrome line, so its list stays."""
    parts = ["Ingredients", "200 g flour", "2 eggs"]
    for paragraph in ARTICLE:
        parts += [paragraph, "Advertisement"]
    text = "\n".join(parts) + "\n"
    result = Pipeline(rules()).clean(text)
    assert not [e for e in result.edits if e.stage == "blocks"]
    assert result.text == "\n".join(["Ingredients", "200 g flour", "2 eggs", *ARTICLE]) + "\n"
    no_short_gate = Pipeline(rules(thresholds={"blocks": {"dump_short_lines": 0}})).clean(text)
    assert not [e for e in no_short_gate.edits if e.stage == "blocks"]  # one distinct chrome line
    eager = Pipeline(rules(thresholds={"blocks": {"dump_short_lines": 0, "dump_chrome_lines": 1}})).clean(text)
    assert [e for e in eager.edits if e.stage == "blocks"]


LEAD = "Ferries will return to the northern pier next spring, after two years of repairs and a second budget."


def lead_page() -> str:
    """A dump whose lead sits above the body, cut off from it by a date, share buttons and a
    photo credit: lines that cost more than the lead adds to the main block's score."""
    return "\n".join([*NAV, "Harbour pier to reopen in spring", LEAD, "12.03.2024 09:41", "Share",
                      "Tweet", "Photo: J. Smith", *ARTICLE, *NAV[:5], *FOOTER]) + "\n"


def test_lead_above_the_main_block_is_kept():
    result = Pipeline(rules()).clean(lead_page())
    assert LEAD in result.text
    assert "12.03.2024 09:41" not in result.text and "Photo: J. Smith" not in result.text
    # Without the rule, and with the weak block the lead makes on its own not counted:
    off = Pipeline(rules(rules={"lead_above": False}, thresholds={"blocks": {"block_share": 0.25}})).clean(lead_page())
    assert LEAD not in off.text
    removed = [e for e in off.edits if LEAD in e.original]
    assert removed and removed[0].rule == "outside_main_block"
    near = Pipeline(rules(thresholds={"blocks": {"lead_reach": 2, "block_share": 0.25}})).clean(lead_page())
    assert LEAD not in near.text  # five lines above the body: out of reach


def test_prose_below_the_main_block_is_not_a_lead():
    teaser = "Readers also liked our report on the ferry company that ordered two new boats this year"
    text = "\n".join([*NAV, "Harbour pier to reopen in spring", *ARTICLE, "Share", "Tweet", teaser,
                      *NAV[:5], *FOOTER]) + "\n"
    assert teaser not in Pipeline(rules()).clean(text).text


def test_weak_blocks_count_above_the_article_not_below_it():
    """A short run of prose above the best run is the article's intro; below it, a run as
    short is an author bio or a teaser (block_share above, after_share below)."""
    intro = "Our reporter spent a week on the harbour to find out why the pier repairs took twice as long as the council had promised."
    bio = "Anna Berg has written about the harbour and the ferries for this newspaper since the year she finished her studies in the city."
    chrome = ["Share", "Tweet", "Email", "Print", "12 comments", "Advertisement", "Gallery", "Next", "Previous"]
    text = "\n".join([*NAV, intro, *chrome, *ARTICLE, "About the author", *chrome, bio, *NAV[:5], *FOOTER]) + "\n"
    no_leads = rules(rules={"lead_above": False})
    result = Pipeline(no_leads).clean(text)
    assert intro in result.text and bio not in result.text
    for paragraph in ARTICLE:
        assert paragraph in result.text
    # (the tails stage's about_tail would take the bio under its header on its own)
    symmetric = Pipeline(rules(rules={"lead_above": False, "about_tail": False},
                                thresholds={"blocks": {"after_share": 0.1}})).clean(text)
    assert bio in symmetric.text


def test_repeated_heading_lines_inside_the_article_go():
    """A teaser headline the page shows twice (picture and link) inside the article's run
    goes; the article's own subheading, once on the page, stays, and so does the headline
    that repeats the page's title on its first line."""
    headline, teaser, subheading = "Harbour pier to reopen in spring", "Ferry company orders two new boats", "Local shops wait for a date"
    text = "\n".join([headline, *NAV, headline, ARTICLE[0], teaser, ARTICLE[1], teaser, subheading,
                      ARTICLE[2], ARTICLE[3], *NAV[:5], *FOOTER]) + "\n"
    result = Pipeline(rules()).clean(text)
    body = result.text.splitlines()
    assert teaser not in body and subheading in body and headline in body
    removed = [e for e in result.edits if teaser in e.original]
    assert {e.rule for e in removed} == {"repeated_line"} and removed[0].detail["copies"] == 2
    off = Pipeline(rules(rules={"repeated_line": False})).clean(text)
    assert teaser in off.text.splitlines()


INGREDIENTS = ["250 g flour", "2 eggs", "1 ½ cups milk", "100 g butter, melted", "For the topping:",
               "3 tbsp sugar", "1 pinch of salt"]
DIRECTIONS = [
    "Whisk the flour, the eggs and half of the milk in a large bowl until the batter is smooth and free of lumps.",
    "Stir in the rest of the milk and the melted butter, then leave the batter to rest for at least half an hour.",
    "Heat a heavy pan over a medium flame, add a little butter and pour in a ladle of batter, tilting the pan to spread it.",
    "Turn the pancake when the edges are golden, cook the other side for a minute and keep it warm while you make the rest.",
]


def recipe_page(ranked: bool = False) -> str:
    most_read = ["1 Ten dinners for busy weeks", "2 The best bread knives", "3 How to store herbs",
                 "4 Our favourite soups", "5 Baking with kids"]
    return "\n".join([*NAV, "Easy pancakes", "Ingredients", *INGREDIENTS, "Print", "Pin", "Rate this recipe",
                      "Save", "Method", *DIRECTIONS, *(["Most read", *most_read] if ranked else []),
                      *NAV[:5], *FOOTER]) + "\n"


def test_quantity_list_beside_the_article_is_kept():
    result = Pipeline(rules()).clean(recipe_page())
    body = result.text.splitlines()
    for line in INGREDIENTS:
        assert line in body
    assert "Rate this recipe" not in body
    off = Pipeline(rules(rules={"quantity_list": False})).clean(recipe_page())
    assert "250 g flour" not in off.text.splitlines()
    longer = Pipeline(rules(thresholds={"blocks": {"list_min_lines": 7}})).clean(recipe_page())
    assert "250 g flour" not in longer.text.splitlines()  # six quantities: too short a list


def test_ranked_list_is_not_a_quantity_list():
    body = Pipeline(rules()).clean(recipe_page(ranked=True)).text.splitlines()
    assert "250 g flour" in body
    assert "1 Ten dinners for busy weeks" not in body and "3 How to store herbs" not in body


# Articles in scripts the word and letter counts once got wrong, inside an English page's
# chrome (which opens the page-dump treatment): Thai and Chinese write no spaces between
# words (and no stoplist holds them, though the menus make the page's guess English), and
# Devanagari's vowel signs are combining marks (not str.isalpha), its full stop the danda.
UNSPACED_AND_MARKED = {
    "th": [
        "สภาเมืองได้อนุมัติการขยายเส้นทางรถรางไปยังโรงพยาบาลแห่งใหม่เมื่อวันพฤหัสบดีหลังจากการอภิปรายเป็นเวลานานเกี่ยวกับค่าใช้จ่ายของโครงการ",
        "งานก่อสร้างจะเริ่มในฤดูร้อนหน้าและใช้เวลาประมาณสองปีตามที่รองนายกเทศมนตรีฝ่ายคมนาคมกล่าวกับผู้สื่อข่าวในวันนี้",
        "ฝ่ายค้านวิพากษ์วิจารณ์ค่าใช้จ่ายที่เพิ่มขึ้นหนึ่งในสามนับตั้งแต่มีการนำเสนอแผนแรกในปีสองพันยี่สิบเอ็ด",
        "นายกเทศมนตรีกล่าวว่าแผนนี้เป็นโอกาสที่ดีที่สุดของเมืองในรอบหนึ่งชั่วอายุคนที่จะฟื้นฟูพื้นที่ริมน้ำให้กลับมามีชีวิตชีวาอีกครั้ง",
    ],
    "zh": [
        "东京的樱花今年比往年提前一周开放，吸引了大量来自各地的游客前往公园观赏。",
        "气象部门表示，今年春季气温偏高是樱花提前开放的主要原因，预计花期将持续到下周末。",
        "当地商家表示，游客数量的增加带动了周边餐饮和住宿业的收入，许多店铺延长了营业时间。",
        "市政府提醒游客注意交通安排，并建议尽量乘坐公共交通工具前往热门赏花地点。",
    ],
    "hi": [
        "नगर परिषद ने गुरुवार को नए अस्पताल तक ट्राम लाइन के विस्तार को लंबी बहस के बाद मंजूरी दे दी।",
        "परिवहन के उप महापौर ने कहा कि काम अगली गर्मियों में शुरू होगा और लगभग दो साल चलेगा।",
        "विपक्ष ने लागत की आलोचना की, जो पहली योजनाओं के प्रस्तुत होने के बाद से एक तिहाई बढ़ गई है।",
        "महापौर ने कहा कि यह योजना शहर के लिए एक पीढ़ी में तटवर्ती क्षेत्र को नया रूप देने का सबसे अच्छा मौका है।",
    ],
}


def test_articles_without_spaces_or_with_vowel_signs_are_kept():
    for article in UNSPACED_AND_MARKED.values():
        page = "\n".join([*NAV, *article, *FOOTER]) + "\n"
        result = Pipeline(rules()).clean(page)
        for line in article:
            assert line in result.text
        assert "Sitemap" not in result.text


def test_a_long_menu_opens_the_page_dump_treatment_without_phrase_lists():
    """Without phrase lists (the chrome stage off, as in a language that has none), a long
    run of menu entries is the page-dump evidence; an extracted text with a shorter list
    stays untouched."""
    no_lists = rules(stages={"chrome": False})
    menu = ["Beranda", "Berita", "Olahraga", "Hiburan", "Ekonomi", "Politik", "Internasional", "Teknologi",
            "Kesehatan", "Wisata", "Otomotif", "Kuliner", "Properti", "Pendidikan", "Sains", "Budaya"]
    article = [
        "Dewan kota pada hari Kamis menyetujui perpanjangan jalur trem ke rumah sakit baru setelah perdebatan panjang tentang biayanya.",
        "Pekerjaan akan dimulai musim panas mendatang dan berlangsung sekitar dua tahun, kata wakil wali kota bidang transportasi kepada wartawan.",
        "Pihak oposisi mengkritik biaya yang naik sepertiga sejak rencana pertama diajukan pada tahun 2021 oleh pemerintah kota.",
    ]
    footer = ["Bagikan", "Hubungi Kami", "Tentang Kami", "Kebijakan Privasi", "Berita Terkait", "Berlangganan", "Masuk"]
    page = "\n".join([*menu, *menu, *article, *footer]) + "\n"
    result = Pipeline(no_lists).clean(page)
    assert all(line in result.text for line in article)
    assert "Otomotif" not in result.text and "Kebijakan Privasi" not in result.text
    assert {e.rule for e in result.edits} == {"outside_main_block"}

    extracted = "\n".join([article[0], *menu, article[1]]) + "\n"  # a list of 16 entries
    assert Pipeline(no_lists).clean(extracted).text == extracted


def test_main_blocks_looks_for_a_bounded_number_of_further_blocks():
    """Each further block costs a scan of the rest of the page: on a page of thousands of
    equal blocks only max_blocks further ones are looked for."""
    from cleaner.stages.blocks import main_blocks

    scores = ([40.0] * 5 + [-30.0] * 10) * 30
    assert main_blocks(scores, 0.1, 0.5) == [(15 * k, 15 * k + 4) for k in range(30)]
    assert len(main_blocks(scores, 0.1, 0.5, max_blocks=10)) == 11  # the best one and ten more


def test_distinct_words_read_the_sample_the_language_guess_reads():
    """The words of the text's first characters, gathered line by line, are those of the
    lowered sample wherever it is cut: inside a word, a blank line, at a line's end, after a
    Greek capital sigma (whose lower case depends on its neighbours) or an İ (which lowers to
    two characters)."""
    from cleaner.segment import Segments
    from cleaner.stages.blocks import distinct_words

    text = "ΟΔΟΣ\nΟΔΟΣ ΑΘΗΝΑ\n\n  İstanbul STRASSE \nΟΔΟΣ\nΣΑ Σ\n"
    segments = Segments(text)
    for sample in range(len(text) + 2):
        assert distinct_words(segments, sample)[1] == set(text[:sample].lower().split()), sample


def test_chrome_lines_place_every_kind_of_mark():
    """Marks over one line from its start are looked up by that start; marks from inside a
    line, over several lines, from a blank line or empty are placed by bisection: both give
    the content lines each mark touches."""
    from cleaner.document import Span
    from cleaner.segment import Segments
    from cleaner.stages.blocks import Blocks

    text = "Home\nNews today\n\nThe harbour reopened.\nShare\n\nFooter\n"
    segments = Segments(text)
    lines = segments.content

    def touched(span: Span) -> set[int]:
        last = max(span.start, span.end - 1)
        return {k for k, line in enumerate(lines) if line.start <= last and span.start <= line.end}

    for start in range(len(text)):
        for end in range(start, len(text) + 1):
            span = Span(start, end, "chrome", "rule")
            assert Blocks._chrome_lines(segments, lines, [span]) == touched(span), (start, end)


def test_listed_words_are_the_listed_words_the_pattern_finds():
    """The language guess's words: tokens a list holds with punctuation ("moře,"), digits,
    apostrophes or combining marks attached count by the words the pattern finds in them."""
    from cleaner.stopwords import _WORD, stoplists

    lists = stoplists()
    text = "moře, moře (the) harbour's walls, and l'eau 12de है। \"a n.p.m.) don't DE la-la 2024"
    lowered = text.lower()
    assert lists.listed_words(lowered) == set(_WORD.findall(lowered)) & lists.vocabulary
    assert "moře," in lists.vocabulary and "moře," not in lists.listed_words(lowered)
