"""English questions made from Indonesian ones, for cross-lingual training pairs (build-time).

The shipped reader saw English questions over Indonesian passages only as word-by-word glosses
("Where location Korintus?", "How many number member from G7?"). :class:`EnglishQuestionMaker`
writes them the way English speakers ask: the question frame by rule ("Dimana letak X" → "Where is
X", "Berapa jumlah X" → "How many X", "Kapan X didirikan" → "When was X founded", "Apa yang dimaksud
dengan X" → "What is X", "Apa mata uang X" → "What is the currency of X"), the rest glossed with
:class:`qa.training.reader_data.WordTranslator` (names and numbers kept), the auxiliary English needs
added ("When did X collapse"), and the Indonesian-only words dropped ("yang", "-kah").

Its quality is measured the way the issue asks: by the F1 of the reader on the 222 hand-translated
validation questions after training on pairs it made (model card, "Cross-lingual training pairs").
"""
from __future__ import annotations

import re

from qa.training.reader_data import WordTranslator

# Indonesian verbs that end questions → (English base form or participle, simple past): a passive
# ("di-…") or a past of "to be" ("was born") gives "When was X founded?", others "When did X collapse?".
VERBS = {
    "didirikan": ("founded", "founded"), "berdiri": ("founded", "was founded"), "dibangun": ("built", "built"),
    "lahir": ("born", "was born"), "dilahirkan": ("born", "was born"), "meninggal": ("die", "died"),
    "wafat": ("die", "died"), "dibentuk": ("formed", "formed"), "ditemukan": ("discovered", "discovered"),
    "dirilis": ("released", "released"), "diterbitkan": ("published", "published"), "dimulai": ("begin", "began"),
    "terjadi": ("happen", "happened"), "berakhir": ("end", "ended"), "runtuh": ("collapse", "collapsed"),
    "dibuka": ("opened", "opened"), "diresmikan": ("inaugurated", "inaugurated"), "ditulis": ("written", "written"),
    "dibuat": ("made", "made"), "diproduksi": ("produced", "produced"), "ditayangkan": ("aired", "aired"),
    "diciptakan": ("created", "created"), "dikembangkan": ("developed", "developed"), "merdeka": ("become independent", "became independent"),
    "dinobatkan": ("crowned", "crowned"), "diangkat": ("appointed", "appointed"), "dilantik": ("sworn in", "sworn in"),
    "menikah": ("marry", "married"), "bergabung": ("join", "joined"), "dikenal": ("known", "known"),
    "digunakan": ("used", "used"), "berasal": ("come from", "came from"), "terletak": ("located", "located"),
    "dimainkan": ("played", "played"), "diadakan": ("held", "held"), "digelar": ("held", "held"),
    "ditandatangani": ("signed", "signed"), "dipimpin": ("led", "led"), "menjabat": ("serve", "served"),
}
_MEASURES = {
    "luas": "What is the area of", "lama": "How long", "tinggi": "How tall is", "panjang": "How long is",
    "jauh": "How far is", "besar": "How big is", "berat": "How heavy is", "umur": "How old is",
    "usia": "How old is", "harga": "What is the price of", "suhu": "What is the temperature of",
}
_WH = r"(?:kah)?"
_FRAMES: list[tuple[re.Pattern, str]] = [(re.compile(p, re.IGNORECASE), t) for p, t in [
    (rf"^siapa{_WH}\s+nama\s+", "What is the name of "),
    (rf"^siapa{_WH}\s+(?:yang\s+)", "Who "),
    (rf"^siapa{_WH}\s+(?:itu\s+)?", "Who is "),
    (rf"^apa{_WH}\s+(?:yang\s+dimaksud\s+dengan|yang\s+dimaksud|itu|pengertian(?:\s+dari)?|arti(?:\s+dari)?"
     rf"|definisi(?:\s+dari)?|maksud(?:\s+dari)?)\s+", "What is "),
    (rf"^apa{_WH}\s+nama\s+", "What is the name of "),
    (rf"^apa{_WH}\s+(?:yang\s+)?(?:menyebabkan|penyebab(?:\s+dari)?)\s+", "What causes "),
    (rf"^apa{_WH}\s+", "What is the "),
    (rf"^berapa{_WH}\s+(?:jumlah|banyak(?:nya)?)\s+", "How many "),
    (rf"^tahun\s+berapa{_WH}\s+", "In what year "),
    (rf"^(?:di\s*mana|dimana){_WH}\s+(?:letak\s+|lokasi\s+)?", "Where "),
    (rf"^dari\s*mana{_WH}\s+(?:asal\s+)?", "Where does "),
    (rf"^kapan{_WH}\s+", "When "),
    (rf"^(?:mengapa|kenapa){_WH}\s+", "Why "),
    (rf"^bagaimana{_WH}\s+", "How "),
]]
_MEASURE = re.compile(rf"^berapa{_WH}\s+({'|'.join(_MEASURES)})\s+", re.IGNORECASE)
_HOW_MANY = re.compile(rf"^berapa{_WH}\s+", re.IGNORECASE)
_IN_WHICH = re.compile(rf"^(?:di|pada)\s+(\w+)\s+(?:apa|mana){_WH}\s+", re.IGNORECASE)


class EnglishQuestionMaker:
    """Indonesian question → an English question that reads like English (see the module docstring)."""

    def __init__(self, translator: WordTranslator):
        self.translator = translator

    def make(self, question: str) -> str:
        """The English question for an Indonesian ``question`` (the gloss when no frame fits)."""
        q = " ".join(question.replace("?", " ").split())
        m = _MEASURE.match(q)
        if m:
            return self._finish(_MEASURES[m.group(1).lower()], q[m.end():])
        m = _IN_WHICH.match(q)
        if m:
            noun = self._gloss(m.group(1)).lower()
            return self._finish(f"In which {noun}", q[m.end():], verb_frame="In which")
        for pattern, frame in _FRAMES:
            m = pattern.match(q)
            if m:
                return self._finish(frame.strip(), q[m.end():])
        m = _HOW_MANY.match(q)
        if m:
            return self._finish("How many", q[m.end():])
        return self._gloss(question)

    def translate(self, question: str, rng=None) -> str:
        """:meth:`make`, under the name the training set's cross-lingual step calls."""
        return self.make(question)

    def _finish(self, frame: str, body: str, verb_frame: str | None = None) -> str:
        words = body.split()
        verb = VERBS.get(words[-1].lower()) if words else None
        if verb and len(words) > 1 and frame.split()[0] in ("When", "Where", "In", "Why"):
            subject = self._gloss(" ".join(words[:-1]))
            participle, past = verb
            if frame == "Where does":
                return f"Where does {subject} come from?"
            if frame == "Where" and not past.startswith("was "):
                frame = "Where"
            if words[-1].lower().startswith("di") or past.startswith("was "):
                return f"{frame} was {subject} {participle}?"
            return f"{frame} did {subject} {participle}?"
        text = self._gloss(body) if body else ""
        if frame == "Where does":
            return f"Where does {text} come from?"
        if frame == "Where" and not re.match(r"(?i)(is|was|are|did|does)\b", text):
            frame = "Where is"
        if frame == "What is the" and text.split()[:1] and text.split()[0][:1].isupper():
            frame = "What is"  # "Apa Sungai Musi" → "What is Sungai Musi"
        if frame == "What is the" and len(text.split()) > 1:
            head, *rest = text.split()
            rest_text = " ".join(rest)
            if rest and rest[0][:1].isupper():  # "mata uang Papua Nugini" → "the currency of Papua Nugini"
                text = f"{head} of {rest_text}"
        return f"{frame} {text}".strip().rstrip("?") + "?"

    def _gloss(self, text: str) -> str:
        out = self.translator.translate(text).rstrip("?").strip()
        if out and text.strip() and not text.strip()[0].isupper():
            out = out[0].lower() + out[1:]  # the gloss capitalises its first letter; a body is mid-sentence
        out = re.sub(r"^(?:that|which)\s+", "", out)
        out = re.sub(r"\b(how many) number\b", r"\1", out, flags=re.IGNORECASE)
        return out
