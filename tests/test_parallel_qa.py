"""Cross-lingual training examples from parallel sentences (qa.training.parallel_qa), on tiny fixtures."""
from __future__ import annotations

import json
import random

from qa.training.parallel_qa import build_examples, make_question, read_parallel, shared_answers, split_examples

ARTICLE = [
    ("Officials met in Jakarta on Monday to discuss the budget.",
     "Para pejabat bertemu di Jakarta pada hari Senin untuk membahas anggaran."),
    ("Sri Mulyani said the plan would cost 120 billion rupiah.",
     "Sri Mulyani mengatakan rencana itu akan menelan biaya 120 miliar rupiah."),
    ("The programme began in 2019 with support from the World Bank.",
     "Program itu dimulai pada 2019 dengan dukungan dari World Bank."),
    ("Nobody expected the vote to pass.", "Tak seorang pun menyangka pemungutan suara itu lolos."),
    ("It was held on 5 May at 02:30 local time.", "Acara itu digelar pada 5 Mei pukul 02:30 waktu setempat."),
]


def _answers(en: str, id_: str) -> dict[str, str]:
    return {en[s:e]: kind for s, e, kind in shared_answers(en, id_)}


def test_shared_answers_are_names_and_numbers_written_alike_in_both_languages():
    assert _answers(*ARTICLE[0]) == {"Jakarta": "place"}
    assert _answers(*ARTICLE[1]) == {"Sri Mulyani": "person", "120": "number"}
    found = _answers(*ARTICLE[2])
    assert found["2019"] == "year" and found["World Bank"] == "thing"
    assert _answers(*ARTICLE[3]) == {}  # sentence-initial "Nobody" is not on the Indonesian side
    # a day of a date ("5 May" / "5 Mei") and a clock time are written differently or are not answers
    assert _answers(*ARTICLE[4]) == {}


def test_make_question_puts_a_question_phrase_where_the_answer_was():
    en = ARTICLE[1][0]
    assert make_question(en, 0, len("Sri Mulyani"), "person") == "Who said the plan would cost 120 billion rupiah?"
    s = en.index("120")
    assert make_question(en, s, s + 3, "number") == "Sri Mulyani said the plan would cost how many billion rupiah?"
    en = ARTICLE[0][0]
    s = en.index("Jakarta")
    assert make_question(en, s, s + 7, "place") == "Officials met where on Monday to discuss the budget?"
    en = ARTICLE[2][0]
    s = en.index("2019")
    assert make_question(en, s, s + 4, "year") == "The programme began in what year with support from the World Bank?"
    assert make_question("Go to Bali.", 6, 10, "place") is None  # nothing question-like left


def test_build_examples_pairs_english_questions_with_indonesian_passages(tmp_path):
    path = tmp_path / "parallel.jsonl"
    rows = [{"en": en, "id": id_, "source": "ntrex128"} for en, id_ in ARTICLE * 3]
    rows.append({"en": "Hi.", "id": "Hai.", "source": "tatoeba"})  # phrasebook sources are skipped
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    pairs = read_parallel(path)
    assert set(pairs) == {"ntrex128"} and len(pairs["ntrex128"]) == 15
    examples = build_examples(pairs, random.Random(0), neighbours=1, unanswerable_share=1.0)
    answerable = [e for e in examples if e.answerable]
    assert answerable and all(e.lang == "en-id" for e in examples)
    for e in answerable:
        assert e.context.count(e.answers[0]) == 1  # the answer is found exactly once in the passage
        assert e.answers[0] not in e.question
        assert e.question.endswith("?")
        assert "pejabat" in e.context or "Mulyani" in e.context or "Program" in e.context  # Indonesian side
    for e in (e for e in examples if not e.answerable):
        positive = next(p for p in answerable if p.id == e.id.removesuffix("-neg"))
        assert e.question == positive.question and positive.answers[0].lower() not in e.context.lower()


def test_split_keeps_blocks_of_ordered_sources_and_negatives_with_their_question():
    pairs = {"ntrex128": ARTICLE * 40, "ud_pud": ARTICLE * 10}
    examples = build_examples(pairs, random.Random(1), unanswerable_share=0.5)
    train, valid = split_examples(examples, 0.3)
    assert train and valid and len(train) + len(valid) == len(examples)

    def key(e):
        source, i = e.id.split("-")[:2]
        return (source, int(i) // 50) if source == "ntrex128" else (source, int(i))

    assert not {key(e) for e in train} & {key(e) for e in valid}
    again = split_examples(examples, 0.3)[1]
    assert [e.id for e in again] == [e.id for e in valid]  # the same validation half every time
