"""Span decoding: question + passages → scored candidate spans → a :class:`ReaderResult`.

Windows of ``max_length`` tokens (``stride`` overlap) go through the span model; a span scores
``start_logit + end_logit`` minus its window's no-answer logits, less ``rank_penalty`` per
retrieval rank. Several readings of one question (as asked and translated) share one batch and
their span scores are fused by weighted mean. The best spans are trimmed of stray punctuation,
completed by type (:mod:`qa.reader.completion`) and given with sentence offsets.
"""
from __future__ import annotations

import re
import threading
from dataclasses import replace
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import torch

from qa.analysis import question_terms, sentence_overlap
from qa.reader.base import ReaderResult, Span, sentence_of, span_sentence
from qa.reader.answer_type import asks_for_list, expected_kind, span_fits
from qa.reader.completion import complete_span
from qa.reader.decision import decision_features, decision_score
from qa.reader.evidence import best_sentence, focus_passage
from qa.reader.model import clip_question
from qa.reader.polar import is_polar, polar_result
from qa.retrieval import Passage

SPANS_PER_WINDOW = 3
TYPED_SPANS_PER_WINDOW = 12  # a number, date or name question: more candidates, as some will not fit
MAX_SPANS = 5


class Candidate(NamedTuple):
    """A span the model proposed: fused ``score``, the passage's index, character offsets in the
    passage, and the span's score in each reading of the question (empty when not recorded)."""

    score: float
    passage_index: int
    start: int
    end: int
    readings: tuple[float, ...] = ()


def read_passages(model, tokenizer, question: str, passages: list[Passage], *, max_length: int, stride: int,
                  max_answer_tokens: int, threshold: float, max_question_tokens: int = 64,
                  rank_penalty: float = 0.0, overlap_weight: float = 0.0,
                  answer_types: bool = False, early_stop_margin: float | None = None,
                  early_stop_passages: int = 2, second_reading: str | None = None,
                  completion: tuple[str, ...] = (), reread: list[bool] | None = None,
                  decision_weights: dict[str, float] | None = None, polar: bool = False,
                  focus: dict | None = None) -> ReaderResult:
    """Run a span model over all windows of the passages and decode the best spans.

    A span's score is its window's margin (``start + end`` logits minus the same window's
    ``<s>`` no-answer logits), less ``rank_penalty`` per retrieval rank below the first: the
    retriever's ranking is evidence too, and a span must beat "no answer" in its own passage.
    ``overlap_weight`` times the share of the question's terms found in the span's sentence
    is added (:func:`sentence_overlap`): the answer usually sits in the sentence that repeats
    the question's words. With ``answer_types``, a question that asks for a number, a date or a
    name (:mod:`qa.reader.answer_type`) keeps only spans that can be one; if none can, "not found".

    With ``early_stop_margin``, the first ``early_stop_passages`` passages are read first, and
    when their best span already scores above ``early_stop_margin`` the others are not read
    (replayed on validation rows by ``bench/early_stop.py`` at commit cf26add: no later passage beat such a span).

    ``second_reading`` is the same question in other words (an English question read through its
    Indonesian translation, :mod:`qa.translate`): both readings go through the model in the same
    batch and every span gets the weighted mean of its two scores (:data:`SECOND_READING_WEIGHT`);
    the sentence-overlap bonus uses the
    reading whose terms the sentence shares more. ``reread`` says which passages the second reading
    reads (an Indonesian question reading of an English passage only hurts: QED-EN forced F1 68 → 64).

    ``decision_weights`` add evidence beyond the margin to the answer / "not found" decision
    (:mod:`qa.reader.decision`); the early stop still looks at the margin alone.

    With ``polar``, a yes/no question (:func:`qa.reader.polar.is_polar`) is answered with the clause
    of the sentence that shares most of its terms, or "not found" (:mod:`qa.reader.polar`); the
    model's spans follow it in ``spans``.

    ``focus`` (the ``focused_reading`` entry of ``reader_config.json``) turns on the focused second
    reading for questions of its ``kinds`` (``"other"``: no expected kind; never yes/no): when the
    answer was declined (or, with a number ``slack``, answered from a sentence holding less of the
    question's terms than the best-matching one by more than ``slack``, that one holding at least
    ``replace_coverage``), and the best-matching sentence holds at least ``min_coverage`` of the
    terms, the model reads that sentence and the ``following`` ones alone; its best span is the
    answer if it passes the threshold plus ``threshold_offset`` (:func:`_focused_result`). With
    ``translated_compare``, a question read twice is read there even when answered, and the focused
    span wins when it scores more than ``translated_compare`` above the answer.

    ``completion`` names the rules of :mod:`qa.reader.completion` that complete each candidate span
    from the passage text (a whole name, a date with its day name, a number with its unit).
    """
    keep = [i for i, p in enumerate(passages) if p.text and p.text.strip()]
    if reread is not None:
        reread = [reread[i] for i in keep]
    passages = [passages[i] for i in keep]
    if not passages or not question.strip():
        return ReaderResult()
    question = clip_question(tokenizer, question, max_question_tokens)
    kind = expected_kind(question) if answer_types else None
    listing = "list" in completion and asks_for_list(question)
    questions = [question]
    if second_reading and second_reading.strip() and second_reading != question \
            and (reread is None or any(reread)):
        questions.append(clip_question(tokenizer, second_reading, max_question_tokens))
    decode = dict(max_length=max_length, stride=stride, max_answer_tokens=max_answer_tokens,
                  rank_penalty=rank_penalty, per_window=TYPED_SPANS_PER_WINDOW if kind else SPANS_PER_WINDOW)
    yes_no = polar and is_polar(question)
    focused = bool(focus) and not yes_no and (kind or "other") in focus.get("kinds", ())
    terms = [question_terms(q) for q in questions] if overlap_weight or yes_no or focused else []
    first = len(passages)
    if early_stop_margin is not None and len(passages) > early_stop_passages:
        first = early_stop_passages
    candidates = _candidates(model, tokenizer, questions, passages[:first], **decode,
                             reread=reread[:first] if reread else None)
    if first < len(passages):
        result = _result(candidates, passages[:first], threshold, terms, overlap_weight, kind, completion,
                         decision_weights, listing)
        if result.spans and result.score > early_stop_margin:
            if focused:
                return _focused_result(result, model, tokenizer, questions, passages, terms, focus, decode,
                                       reread, threshold, overlap_weight, kind, completion, decision_weights, listing)
            return polar_result(result, terms, passages) if yes_no else result
        rest = _candidates(model, tokenizer, questions, passages[first:], **decode,
                           reread=reread[first:] if reread else None)
        candidates += [c._replace(passage_index=c.passage_index + first) for c in rest]
    result = _result(candidates, passages, threshold, terms, overlap_weight, kind, completion, decision_weights,
                     listing)
    if focused:
        return _focused_result(result, model, tokenizer, questions, passages, terms, focus, decode,
                               reread, threshold, overlap_weight, kind, completion, decision_weights, listing)
    return polar_result(result, terms, passages) if yes_no else result


def _focused_result(result: ReaderResult, model, tokenizer, questions: list[str], passages: list[Passage],
                    terms: list[set[str]], focus: dict, decode: dict, reread: list[bool] | None, threshold: float,
                    overlap_weight: float, kind: str | None, completion: tuple[str, ...],
                    decision_weights: dict[str, float] | None, listing: bool) -> ReaderResult:
    """``result`` read again in the evidence sentence (:func:`qa.reader.evidence.best_sentence`) and
    the ``following`` ones when the span model declined (or, with a ``slack``, answered from a
    sentence that matches the question clearly worse); the focused reading's best span becomes the
    answer only if it passes ``threshold``.

    A question read twice (``focus["translated_compare"]`` set, a number) is read in the evidence
    sentence even when answered, and the focused span replaces the answer when it scores more than
    that number above it: the span model reads a lone sentence far better than the same sentence
    inside a passage when the question is a translation."""
    compare = result.found and len(questions) > 1 and focus.get("translated_compare") is not None
    if result.found and focus.get("slack") is None and not compare:
        return result
    evidence = best_sentence(terms, passages)
    if evidence is None or evidence.coverage < float(focus.get("min_coverage", 0.6)):
        return result
    if result.found and not compare and (
            evidence.coverage < float(focus.get("replace_coverage", 0.0))
            or (result.spans and sentence_overlap(terms, span_sentence(result.spans[0]))
                >= evidence.coverage - float(focus["slack"]))):
        return result  # answered from a sentence that matches the question about as well
    p_idx = evidence.passage_index
    sentence = focus_passage(passages[p_idx], evidence.start, evidence.end, int(focus.get("following", 0)))
    candidates = _candidates(model, tokenizer, questions, [sentence], **decode,
                             reread=[reread[p_idx]] if reread else None)
    read = _result(candidates, [sentence], threshold + float(focus.get("threshold_offset", 0.0)), terms,
                   overlap_weight, kind, completion, decision_weights, listing)
    features = {**result.features, "focus_coverage": evidence.coverage, "focus_score": read.score}
    if not read.found or (compare and read.score <= result.score + float(focus["translated_compare"])):
        return replace(result, features=features)
    best = read.spans[0]
    rest = [s for s in result.spans if (s.passage.doc_id, s.start, s.end) != (best.passage.doc_id, best.start, best.end)]
    return ReaderResult(spans=[best] + rest[:MAX_SPANS - 1], found=True, score=read.score, decision=read.decision,
                        features=features)


def _candidates(model, tokenizer, questions: list[str], passages: list[Passage], *, max_length: int, stride: int,
                max_answer_tokens: int, rank_penalty: float, per_window: int,
                reread: list[bool] | None = None) -> list[Candidate]:
    """The best ``per_window`` spans of every window of ``passages`` for each of ``questions`` (readings
    of one question), in one model call, as :class:`Candidate` with offsets relative to the passage.
    Readings after the first read only the passages where ``reread`` is true (all when None); a span
    of a passage read once keeps its one score."""
    if isinstance(questions, str):
        questions = [questions]
    pairs = [(r, p_idx) for r in range(len(questions)) for p_idx in range(len(passages))
             if r == 0 or reread is None or reread[p_idx]]
    enc = tokenizer([questions[r] for r, _ in pairs], [passages[p_idx].text for _, p_idx in pairs],
                    truncation="only_second", max_length=max_length, stride=stride, padding="longest",
                    return_overflowing_tokens=True, return_offsets_mapping=True)
    # Lists, not return_tensors="pt": converting the offset mapping into a tensor cost ~5 ms a read.
    extra = {}
    if getattr(model, "uses_token_types", False) and "token_type_ids" in enc:
        extra["token_type_ids"] = torch.tensor(enc["token_type_ids"])
    start, end = span_logits(model, torch.tensor(enc["input_ids"]), torch.tensor(enc["attention_mask"]), **extra)
    n_readings = len(questions)
    candidates: dict[tuple[int, int, int], list[float]] = {}  # (passage, char start, char end) → score per reading
    windows: dict[tuple[int, int], list[tuple[dict, dict, torch.Tensor, torch.Tensor, float]]] = {}
    for w, sample in enumerate(enc["overflow_to_sample_mapping"]):
        reading, p_idx = pairs[sample]
        seq = enc.sequence_ids(w)
        ctx = [i for i, s in enumerate(seq) if s == 1]
        window_null = float(start[w, 0] + end[w, 0])
        if not ctx:
            continue
        lo, hi = ctx[0], ctx[-1] + 1
        s_log, e_log = start[w, lo:hi], end[w, lo:hi]
        n = hi - lo
        scores = s_log[:, None] + e_log[None, :]
        idx = torch.arange(n)
        valid = (idx[None, :] >= idx[:, None]) & (idx[None, :] - idx[:, None] < max_answer_tokens)
        scores = scores.masked_fill(~valid, float("-inf"))
        k = min(per_window, int(valid.sum()))
        top = torch.topk(scores.flatten(), k)
        offsets = enc["offset_mapping"][w]
        prior = rank_penalty * max(passages[p_idx].rank - 1, 0)
        if n_readings > 1:
            windows.setdefault((reading, p_idx), []).append(
                ({int(offsets[lo + t][0]): t for t in range(n)}, {int(offsets[lo + t][1]): t for t in range(n)},
                 s_log, e_log, window_null + prior))
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            i, j = divmod(flat, n)
            key = (p_idx, int(offsets[lo + i][0]), int(offsets[lo + j][1]))
            scores_of = candidates.setdefault(key, [float("-inf")] * n_readings)
            scores_of[reading] = max(scores_of[reading], value - window_null - prior)
    if n_readings == 1:
        return [Candidate(scores_of[0], *key, (scores_of[0],)) for key, scores_of in candidates.items()]
    fused = []
    for key, scores_of in candidates.items():
        for reading in range(n_readings):  # a span in one reading's top list: its score in the others
            if scores_of[reading] == float("-inf"):
                scores_of[reading] = _span_score(windows.get((reading, key[0]), []), key[1], key[2], max_answer_tokens)
        known = [(x, wgt) for x, wgt in zip(scores_of, _weights(n_readings)) if x != float("-inf")]
        total = sum(wgt for _, wgt in known)
        fused.append(Candidate(sum(x * wgt for x, wgt in known) / total, *key, tuple(scores_of)))
    return fused


SECOND_READING_WEIGHT = 0.6
"""Weight of the translated reading in the fused span score (the question as asked gets the rest).
Chosen on the 222 hand-translated English validation questions over their Indonesian contexts
(offline replay, model card "English questions read twice"): forced F1 0.711 as asked, 0.724
translated alone, 0.765 fused at 0.6, 0.744 at 0.4, 0.753 keeping the better score; on the 142 of
them not looked at while writing the translator 0.648 as asked, 0.680 fused at 0.6."""


def _weights(n_readings: int) -> list[float]:
    if n_readings == 1:
        return [1.0]
    rest = SECOND_READING_WEIGHT / (n_readings - 1)
    return [1.0 - SECOND_READING_WEIGHT] + [rest] * (n_readings - 1)


def _span_score(windows: list, cs: int, ce: int, max_answer_tokens: int) -> float:
    """The best score of the span ``[cs, ce)`` over one reading's windows of a passage (``-inf``
    when no window has tokens starting at ``cs`` and ending at ``ce``)."""
    best = float("-inf")
    for starts, ends, s_log, e_log, offset in windows:
        i, j = starts.get(cs), ends.get(ce)
        if i is not None and j is not None and 0 <= j - i < max_answer_tokens:
            best = max(best, float(s_log[i] + e_log[j]) - offset)
    return best


def span_logits(model, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                **extra: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Start and end logits ``[windows, seq]`` (fp32, on the CPU) for a padded batch of windows.

    On a GPU the batch runs as one call. On the CPU each window runs alone without its padding
    (about 12 % faster for a top-5 read, where windows differ in length), and with two or more
    torch threads the windows run side by side, one thread each (:func:`_run_windows`);
    padded positions get ``-inf`` and are never decoded.
    """
    device = next(model.parameters()).device
    with torch.inference_mode():
        lengths = attention_mask.sum(dim=1).tolist()
        right_padded = all(bool(attention_mask[w, :n].all()) for w, n in enumerate(lengths))
        if device.type != "cpu" or not right_padded:
            start, end = model(input_ids.to(device), attention_mask.to(device),
                               **{k: v.to(device) for k, v in extra.items()})
            return start.float().cpu(), end.float().cpu()
    windows = [((input_ids[w:w + 1, :n], attention_mask[w:w + 1, :n]), {k: v[w:w + 1, :n] for k, v in extra.items()})
               for w, n in enumerate(lengths)]
    start = torch.full(input_ids.shape, float("-inf"))
    end = torch.full(input_ids.shape, float("-inf"))
    for w, (s, e) in enumerate(_run_windows(model, windows)):
        start[w, :lengths[w]], end[w, :lengths[w]] = s[0].float(), e[0].float()
    return start, end


_WINDOW_LOCK = threading.Lock()
_WINDOW_POOLS: dict[int, ThreadPoolExecutor] = {}  # by worker count


def _run_windows(model, windows: list[tuple[tuple, dict]]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """``model(*args, **kwargs)`` for each window, on the CPU.

    A window is a few hundred tokens: with torch's threads splitting every operation, the threads
    wait on each other more than they compute. With ``n >= 2`` threads the windows instead run on
    ``n`` workers with one torch thread each (a top-5 read: 344 → 286 ms on 2 cores; the results
    are identical). Windows left over after the last full round (3 windows on 2 cores) run one
    after another with all ``n`` threads instead of one worker's while the others idle (a 200-token
    window: 112 ms on one thread, 65 ms on two). One read at a time holds the CPU this way; torch's
    thread count is restored after it.
    """
    def run(window):
        with torch.inference_mode():
            return model(*window[0], **window[1])

    threads = torch.get_num_threads()
    paired = len(windows) - len(windows) % threads
    if threads < 2 or paired == 0:
        return [run(w) for w in windows]
    with _WINDOW_LOCK:
        pool = _WINDOW_POOLS.get(threads)
        if pool is None:
            pool = _WINDOW_POOLS[threads] = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="qa-reader")
        torch.set_num_threads(1)
        try:
            out = list(pool.map(run, windows[:paired]))
        finally:
            torch.set_num_threads(threads)
        return out + [run(w) for w in windows[paired:]]


def _result(candidates: list[Candidate], passages: list[Passage], threshold: float,
            terms: set[str] | list[set[str]] = frozenset(), overlap_weight: float = 0.0, kind: str | None = None,
            completion: tuple[str, ...] = (), decision_weights: dict[str, float] | None = None,
            listing: bool = False) -> ReaderResult:
    scored: list[tuple[float, Span]] = []
    seen: set[tuple[str, int, int]] = set()
    overlaps: dict[tuple[str, int], float] = {}
    for score, p_idx, cs, ce, readings in sorted(candidates, key=lambda c: -c.score):
        p = passages[p_idx]
        cs, ce = _strip(p.text, cs, ce)
        if ce <= cs or not span_fits(p.text[cs:ce], kind):
            continue
        if completion:
            cs, ce = complete_span(p.text, cs, ce, kind, completion, listing)
        start, end = p.start + cs, p.start + ce
        key = (p.doc_id, start, end)  # identical spans from overlapping passages/windows: keep the best
        if key in seen:
            continue
        seen.add(key)
        s_start, s_end = sentence_of(p, start, end)
        if overlap_weight:
            skey = (p.doc_id, s_start)
            if skey not in overlaps:
                overlaps[skey] = sentence_overlap(terms, p.text[s_start - p.start:s_end - p.start])
            score += overlap_weight * overlaps[skey]
        scored.append((score, Span(p, start, end, p.text[cs:ce], score, s_start, s_end, readings)))
    spans = [span for _, span in sorted(scored, key=lambda x: -x[0])][:MAX_SPANS]
    if not spans:
        return ReaderResult()
    margin = spans[0].score
    features = decision_features(spans, typed=kind is not None)
    decision = decision_score(margin, features, decision_weights)
    return ReaderResult(spans=spans, found=decision > threshold, score=margin, decision=decision, features=features)


_PAIRS = {"(": ")", "[": "]", "“": "”", "‘": "’", "«": "»"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_TRAILING = ",;:.!?"
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Z][a-z]{0,2}|(?:[A-Za-z]\.)+[A-Za-z])\.$")


def _strip(text: str, cs: int, ce: int) -> tuple[int, int]:
    """Shrink ``[cs, ce)`` to a clean answer: no whitespace at either end, no sentence punctuation at
    the end ("31 Juli 2024." → "31 Juli 2024", but "Jr." and "U.S." keep their dot) or at the start
    (". B.R. Ambedkar" → "B.R. Ambedkar"), no bracket or quote that the span does not also open or
    close ("(22/10/2021" → "22/10/2021"); a span that starts at the hyphen inside a word takes the
    whole word ("-7" of "ke-7" → "ke-7")."""
    if cs < ce and text[cs] == "-" and cs > 0 and text[cs - 1].isalnum():
        while cs > 0 and text[cs - 1].isalnum():
            cs -= 1
    while True:
        before = (cs, ce)
        while cs < ce and text[cs].isspace():
            cs += 1
        while ce > cs and text[ce - 1].isspace():
            ce -= 1
        if cs >= ce:
            return cs, ce
        span = text[cs:ce]
        last = span[-1]
        if span[0] in _TRAILING and len(span) > 1 and span[1].isspace():
            cs += 1
        elif last in _TRAILING and not (last == "." and _ABBREVIATION.search(span)):
            ce -= 1
        elif last in _CLOSERS and _CLOSERS[last] not in span[:-1]:
            ce -= 1
        elif span[0] in _PAIRS and _PAIRS[span[0]] not in span[1:]:
            cs += 1
        elif span[0] in '"\'' and span.count(span[0]) == 1:
            cs += 1
        elif last in '"\'' and span.count(last) == 1:
            ce -= 1
        if (cs, ce) == before:
            return cs, ce
