"""Judge how two texts on one event relate: agree, conflict or unrelated (no language model).

Two kinds of evidence, in this order:

1. Rules a person can check, for two short texts. The same quoted words given to different
   speakers are a conflict. When the texts clearly state the same thing (they share most of
   their content words) and differ on one slot, that is a conflict and the slot is named: one
   text saying what the other denies ("X said" against "X denied", "was" against "was not"),
   a different number for the same quantity, a different date or place, another actor doing
   the same thing. Two short texts that share no content word are unrelated, unless both
   are headlines (no closing full stop): headlines paraphrase ("Horrible Human Slaps Elderly
   Woman For Sneezing" against "man wanted for slapping people who sneeze"), so for them the
   model decides.
2. Otherwise, a small logistic regression over about 140 hand-made features (word overlap,
   plain and weighted by how rare each word is in news text, TF-IDF cosine, fuzzy similarity,
   refutation, doubt and hedging cue words, negation and polarity, facts that differ), each
   also in a copy that is non-zero only for a long text, so a headline against an article
   body gets its own weights. A headline against a body also gets learned word weights: the
   words of the headline and of the body's closest sentences, hashed into a few thousand
   buckets ("hoax" or "fake" near the headline's words is learned, not listed). The weights
   and the word weights (inverse document frequency of single words) are plain JSON in
   ``data/relate_model.json``, written by ``benchmarks/train_relate.py``; inference is a few
   dot products and dictionary look-ups in pure Python.

The shorter text leads. A long other text (over 60 words: an article body against a
headline) is read as its five sentences that share most words with the short one: the whole
body rarely shares words with a headline, the sentences about the headline's event do; the
cue words of the one sentence closest to the short text are also counted on their own.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz

from verifier.errors import InputError
from verifier.facts import find_facts
from verifier.judge import differing_facts
from verifier.models import Article, FactKind, Verdict
from verifier.text import paragraphs, sentences

__all__ = [
    "Judgement",
    "PairRelation",
    "RelateModel",
    "Slot",
    "pair_features",
    "relate",
    "relate_lines",
]

PairRelation = Literal["agree", "conflict", "unrelated"]
Slot = Literal["number", "date", "place", "actor", "negation", "speaker"]


@dataclass(frozen=True)
class Judgement:
    """How two texts relate, how sure the judgement is, and what differs."""

    relation: PairRelation
    score: float
    """Confidence in ``relation``, from 0 to 1."""
    slot: Slot | None
    """What differs between the texts when they conflict; None when nothing is singled out."""
    reason: str
    """One short sentence for a person."""


_MODEL_FILE = Path(__file__).with_name("data") / "relate_model.json"

_STOPWORDS = frozenset(
    """a an the and or but of to in on at by for with from as is are was were be been being has
    have had do does did it its this that these those he she they we i you his her their our
    my your so if than then there here which who whom what when where why how all any some
    more most also just very can could would should will may might must about into over after
    before up down out said says say told would them him us me one new s t""".split()
)
_NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without cannot n't nt isn't wasn't aren't "
    "weren't don't doesn't didn't won't hasn't haven't hadn't can't couldn't".split()
)
_REFUTATIONS = frozenset(
    """deny denies denied denying denial denials false falsely hoax hoaxes fake fakes faked
    debunk debunked debunks debunking reject rejects rejected refute refutes refuted
    dismiss dismisses dismissed untrue myth bogus fabricated fabrication misleading satire
    satirical prank pranks doubt doubts doubtful disputed contradict
    contradicts contradicted retract retracted retraction rumor rumors rumour rumours
    unfounded baseless incorrect wrong lie lies lied alive nonsense libel""".split()
)
_REFUTING_PHRASES = re.compile(
    r"\b(?:no evidence|not true|isn't true|is not true|never happened|turned out|"
    r"did not happen|didn't happen|no truth|no proof|no sign|not real|not the case|"
    r"made (?:it |this |that |the story )?(?:all )?up|not dead|still alive|stop sharing)\b"
)
_DOUBTS = frozenset(
    """skeptical sceptical skepticism credible ridiculous unlikely questionable suspicious
    implausible speculation speculative unsubstantiated unproven unclear folklore legend
    legends joke joking parody spoof troll trolls trolled trolling fooled duped believed
    photoshop photoshopped doctored meme figment imagination propaganda conspiracy
    unbelievable panic bs""".split()
)
_HEDGES = frozenset(
    """reportedly allegedly alleged alleges claim claims claimed purportedly apparently
    possibly unconfirmed unverified rumored rumoured appears seems may might could report
    reports reported according suggest suggests suspected""".split()
)
_SUPPORTS = frozenset(
    """confirmed confirms confirm official officially announced revealed proves proved
    proof shows showed indeed verified true""".split()
)
_SAY_VERBS = frozenset(
    "said says say told announced stated confirmed confirms admitted admits acknowledged "
    "acknowledges claimed claims insisted insists".split()
)
_DENY_VERBS = frozenset(
    "denied denies deny denying rejected rejects refuted refutes dismissed dismisses".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_NAME = re.compile(r"(?<![\w.])[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
_QUOTED = re.compile(r"[\"“”]([^\"“”]{8,})[\"“”]")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s*$")

_TERM_SKIP = frozenset(
    "a an the of to in on at by for with from as is are was were be been being it its this "
    "that these those".split()
)
_LONG_TEXT_WORDS = 60
"""A text longer than this is read as its best-matching sentences."""
_FOCUS_SENTENCES = 5
_SAME_STATEMENT = 0.6
"""Share of the shorter text's content words the other must hold for the slot rules."""


@dataclass(frozen=True)
class RelateModel:
    """A multinomial logistic regression over named features, as stored in JSON."""

    classes: tuple[PairRelation, ...]
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]
    """One row of weights per class, over the standardised features."""
    bias: tuple[float, ...]
    term_buckets: int = 0
    """How many buckets the words of ``_Pair.terms`` are hashed into; 0 when none are read."""
    term_weights: dict[int, tuple[float, ...]] = field(default_factory=dict)
    """Per bucket, one weight per class added to the logits; buckets left out weigh zero."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelateModel:
        return cls(
            classes=tuple(data["classes"]),
            features=tuple(data["features"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            weights=tuple(tuple(row) for row in data["weights"]),
            bias=tuple(data["bias"]),
            term_buckets=data.get("term_buckets", 0),
            term_weights={
                int(bucket): tuple(row) for bucket, row in data.get("term_weights", {}).items()
            },
        )

    def probabilities(
        self, features: dict[str, float], terms: Iterable[str] = ()
    ) -> dict[PairRelation, float]:
        values = [
            (features[name] - mean) / scale
            for name, mean, scale in zip(self.features, self.mean, self.scale, strict=True)
        ]
        logits = [
            bias + sum(w * v for w, v in zip(weights, values, strict=True))
            for weights, bias in zip(self.weights, self.bias, strict=True)
        ]
        if self.term_buckets:
            for term in terms:
                row = self.term_weights.get(_term_bucket(term, self.term_buckets))
                if row is not None:
                    logits = [logit + w for logit, w in zip(logits, row, strict=True)]
        top = max(logits)
        exps = [math.exp(logit - top) for logit in logits]
        total = sum(exps)
        return {name: e / total for name, e in zip(self.classes, exps, strict=True)}


def relate(a: str, b: str, *, model: RelateModel | None = None) -> Judgement:
    """Judge whether ``b`` agrees with ``a``, conflicts with it, or is about something else.

    ``model`` replaces the shipped weights (the training script measures its folds with it)."""
    pair = _Pair(a, b)
    ruled = pair.rule()
    features = pair.features()
    probabilities = (model or _shipped_model()).probabilities(
        features, pair.terms(features["idf_cover_a"])
    )
    if ruled is not None:
        slot, reason = ruled
        return Judgement("conflict", _rule_score(probabilities["conflict"]), slot, reason)
    if not pair.long and not pair.shared and not pair.headlines:
        return Judgement(
            "unrelated", _rule_score(probabilities["unrelated"]), None, pair.unrelated_reason()
        )
    relation = max(probabilities, key=lambda name: probabilities[name])
    score = round(probabilities[relation], 3)
    if relation == "conflict":
        cue, why = pair.conflict_reason()
        return Judgement("conflict", score, cue, why)
    if relation == "agree":
        return Judgement("agree", score, None, pair.agree_reason())
    return Judgement("unrelated", score, None, pair.unrelated_reason())


_RULE_CONFIDENCE = 0.9


def _rule_score(probability: float) -> float:
    """A verdict of the rules is given 0.9, or the model's probability when it is surer."""
    return round(max(probability, _RULE_CONFIDENCE), 3)


def relate_lines(lines: Iterable[str]) -> Iterator[str]:
    """Read JSON Lines of ``{"id", "a", "b"}`` and yield one JSON line per pair:
    ``{"id", "relation", "score", "slot", "reason"}``. Blank lines are skipped; a malformed
    line raises ``InputError`` naming its line number."""
    for pair_id, a, b in read_pairs(lines):
        yield pair_line(pair_id, relate(a, b))


def read_pairs(lines: Iterable[str]) -> Iterator[tuple[Any, str, str]]:
    """The ``(id, a, b)`` of each line of JSON Lines ``{"id", "a", "b"}``, blank lines skipped;
    a malformed line raises ``InputError`` naming its line number."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield _parse_pair(line, number)


def pair_line(
    pair_id: Any, result: Judgement, verdict: Verdict | None = None, *, judged: bool = False
) -> str:
    """One output line of ``verifier relate``. When a model was asked (``judged``), its
    checked ``verdict`` (None when it gave none) is written beside the text's own judgement."""
    record: dict[str, Any] = {
        "id": pair_id,
        "relation": result.relation,
        "score": result.score,
        "slot": result.slot,
        "reason": result.reason,
    }
    if judged:
        record["verdict"] = None if verdict is None else verdict.model_dump(mode="json")
    return json.dumps(record, ensure_ascii=False)


def _parse_pair(line: str, number: int) -> tuple[Any, str, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"line {number}: not valid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise InputError(f'line {number}: expected an object {{"id", "a", "b"}}')
    missing = [key for key in ("id", "a", "b") if key not in record]
    if missing:
        raise InputError(f"line {number}: missing {', '.join(repr(k) for k in missing)}")
    a, b = record["a"], record["b"]
    if not isinstance(a, str) or not isinstance(b, str):
        raise InputError(f'line {number}: "a" and "b" must be strings')
    if not isinstance(record["id"], str | int):
        raise InputError(f'line {number}: "id" must be a string or an integer')
    return record["id"], a, b


def pair_features(a: str, b: str) -> dict[str, float]:
    """The features the model reads, by name (the training script uses the same ones)."""
    return _Pair(a, b).features()


def _term_bucket(term: str, buckets: int) -> int:
    return zlib.crc32(term.encode()) % buckets


def _words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def _stem(word: str) -> str:
    word = word.removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _content(words: list[str]) -> list[str]:
    return [_stem(w) for w in words if w not in _STOPWORDS and len(w) > 2]


def _content_words(text: str) -> set[str]:
    """The stemmed content words of a text, as the word weights count them."""
    return set(_content(_words(text)))


class _Side:
    """What the features need of one text, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = _words(text)
        self.content = _content(self.words)
        self.content_set = set(self.content)
        self.bigrams = set(zip(self.content, self.content[1:], strict=False))
        self.negations = sum(1 for w in self.words if w in _NEGATIONS or w.endswith("n't"))
        self.refutations = sum(1 for w in self.words if w in _REFUTATIONS) + len(
            _REFUTING_PHRASES.findall(text.lower())
        )
        self.doubts = sum(1 for w in self.words if w in _DOUBTS)
        self.hedges = sum(1 for w in self.words if w in _HEDGES)
        self.supports = sum(1 for w in self.words if w in _SUPPORTS)
        self.says = any(w in _SAY_VERBS for w in self.words)
        self.denies = any(w in _DENY_VERBS for w in self.words)
        self.question = "?" in text
        weights = _word_weights()
        self.vector: dict[str, float] = {}
        for word in self.content:
            self.vector[word] = self.vector.get(word, 0.0) + weights[word]
        self.norm = math.sqrt(sum(v * v for v in self.vector.values()))


def _cosine(one: _Side, other: _Side) -> float:
    if not one.norm or not other.norm:
        return 0.0
    if len(other.vector) < len(one.vector):
        one, other = other, one
    dot = sum(v * other.vector.get(w, 0.0) for w, v in one.vector.items())
    return dot / (one.norm * other.norm)


@dataclass(frozen=True)
class _Focus:
    """What of a long text the features read."""

    text: str
    """The sentences that share most content words with the short text, in text order."""
    best: str
    """The one sentence closest to the short text by TF-IDF cosine."""
    best_cosine: float
    sentence_count: int


def _focus(long_text: str, short: _Side) -> _Focus:
    spans = [s for p in paragraphs(long_text) for s in sentences(long_text, *p)]
    scored: list[tuple[float, int]] = []
    best, best_cosine = "", -1.0
    for position, (start, end) in enumerate(spans):
        side = _Side(long_text[start:end])
        shared = len(side.content_set & short.content_set)
        # Earlier sentences win ties: a body states its news first.
        scored.append((shared - position / 1000, position))
        cosine = _cosine(short, side) if shared else 0.0
        if cosine > best_cosine:
            best, best_cosine = side.text, cosine
    chosen = sorted(sorted(scored, reverse=True)[:_FOCUS_SENTENCES], key=lambda s: s[1])
    text = " ".join(long_text[spans[p][0] : spans[p][1]] for _, p in chosen)
    return _Focus(text, best, max(best_cosine, 0.0), len(spans))


class _Pair:
    def __init__(self, a: str, b: str) -> None:
        # The shorter text leads; a long other text is read as its best-matching sentences.
        if len(b) < len(a):
            a, b = b, a
        self.a = _Side(a)
        self.whole_b = _Side(b)
        self.long = len(self.whole_b.words) > _LONG_TEXT_WORDS
        if self.long:
            focus = _focus(b, self.a)
            self.b, self.sentence_count = _Side(focus.text), focus.sentence_count
            self.best = _Side(focus.best)
            self.best_cosine = focus.best_cosine
        else:
            self.b, self.sentence_count = self.whole_b, 1
            self.best = self.b
            self.best_cosine = _cosine(self.a, self.b)
        self.shared = self.a.content_set & self.b.content_set
        smaller = min(len(self.a.content_set), len(self.b.content_set))
        self.cover_min = len(self.shared) / smaller if smaller else 0.0
        self.headlines = not (_SENTENCE_END.search(a) or _SENTENCE_END.search(b))
        """Both texts are headlines: neither closes with a full stop, ! or ?."""
        self._slots: list[tuple[Slot, str]] | None = None

    def features(self) -> dict[str, float]:
        a, b, whole = self.a, self.b, self.whole_b
        shared = len(self.shared)
        union = len(a.content_set | b.content_set)
        cover_a = shared / len(a.content_set) if a.content_set else 0.0
        cover_b = shared / len(b.content_set) if b.content_set else 0.0
        bigram_cover = len(a.bigrams & b.bigrams) / len(a.bigrams) if a.bigrams else 0.0
        token_set = fuzz.token_set_ratio(a.text.lower(), b.text.lower()) / 100
        token_sort = fuzz.token_sort_ratio(a.text.lower(), b.text.lower()) / 100
        refute_a, refute_b = min(a.refutations, 3) / 3, min(b.refutations, 3) / 3
        body_refute = whole.refutations / max(self.sentence_count, 1)
        neg_a, neg_b = min(a.negations, 2) / 2, min(b.negations, 2) / 2
        slots = {slot for slot, _ in self.fact_differences()}
        said_denied = float((a.says and b.denies) or (a.denies and b.says))
        features = {
            "cover_a": cover_a,
            "cover_b": cover_b,
            "cover_min": self.cover_min,
            "jaccard": shared / union if union else 0.0,
            "bigram_cover": bigram_cover,
            "token_set": token_set,
            "token_sort": token_sort,
            "shared_words": min(shared, 10) / 10,
            "refute_a": refute_a,
            "refute_b": refute_b,
            "refute_differs": float((a.refutations > 0) != (b.refutations > 0)),
            "body_refute": min(body_refute, 1.0),
            "body_refute_any": float(whole.refutations > 0),
            "neg_a": neg_a,
            "neg_b": neg_b,
            "neg_differs": float((a.negations > 0) != (b.negations > 0)),
            "polarity_differs": float(
                (a.negations + a.refutations) % 2 != (b.negations + b.refutations) % 2
            ),
            "negative_b_only": float(
                a.negations + a.refutations == 0 and b.negations + b.refutations > 0
            ),
            "negative_a_only": float(
                b.negations + b.refutations == 0 and a.negations + a.refutations > 0
            ),
            "doubt_a": min(a.doubts, 2) / 2,
            "doubt_b": min(b.doubts, 2) / 2,
            "body_doubt": min(whole.doubts / max(self.sentence_count, 1), 1.0),
            "hedge_a": min(a.hedges, 2) / 2,
            "hedge_b": min(b.hedges, 2) / 2,
            "support_a": min(a.supports, 2) / 2,
            "support_b": min(b.supports, 2) / 2,
            "said_denied": said_denied,
            "question_a": float(a.question),
            "question_b": float(b.question),
            "number_differs": float("number" in slots),
            "date_differs": float("date" in slots),
            "place_differs": float("place" in slots),
            "long_b": float(self.long),
            "length_a": min(len(a.words), 60) / 60,
            "length_b": min(len(whole.words), 600) / 600,
        }
        features.update(self.weighted_features())
        overlap = max(cover_a, self.cover_min)
        for name in (
            "refute_a",
            "refute_b",
            "refute_differs",
            "body_refute",
            "neg_differs",
            "polarity_differs",
            "negative_b_only",
            "doubt_b",
            "hedge_a",
            "hedge_b",
            "support_b",
            "said_denied",
        ):
            features[f"{name}*overlap"] = features[name] * overlap
        # Every feature again for a long text: a headline against an article body is another
        # regime than two sentences, and this lets each have its own weights.
        if self.long:
            features.update({f"long*{name}": value for name, value in list(features.items())})
        else:
            features.update({f"long*{name}": 0.0 for name in list(features)})
        return features

    def terms(self, idf_cover_a: float) -> set[str]:
        """The words a long text's stance may turn on, for the learned word weights: the short
        text's words, and those the focus sentences lack; the words of the focus sentences and
        of the closest sentence that the short text lacks, also marked with how much of the
        short text the other covers (``idf_cover_a``): "hoax" in a body that matches the
        headline is no "hoax" in one about something else. None for two short texts: in
        cross-validation, word weights for them lost more than they gained."""
        if not self.long:
            return set()
        overlap = "h" if idf_cover_a >= 0.5 else "m" if idf_cover_a >= 0.2 else "l"
        short = set(self.a.words) - _TERM_SKIP
        found = {f"La:{word}" for word in short}
        found.update(f"Lao:{word}" for word in short - set(self.b.words))
        for prefix, side in (("Lbo", self.b), ("Lbest", self.best)):
            for word in set(side.words) - _TERM_SKIP - short:
                found.add(f"{prefix}:{word}")
                found.add(f"{prefix}{overlap}:{word}")
        return found

    def weighted_features(self) -> dict[str, float]:
        """Overlap weighted by how rare each word is, and the cue words of the one sentence
        of a long text that is closest to the short one."""
        a, b, best, whole = self.a, self.b, self.best, self.whole_b
        weights = _word_weights()
        mass_a = sum(weights[w] for w in a.content_set)
        mass_b = sum(weights[w] for w in b.content_set)
        mass_shared = sum(weights[w] for w in self.shared)
        missing_a = [weights[w] for w in a.content_set - b.content_set]
        missing_b = [weights[w] for w in b.content_set - a.content_set]
        idf_cover_a = mass_shared / mass_a if mass_a else 0.0
        cosine = _cosine(a, b)
        features = {
            "idf_cover_a": idf_cover_a,
            "idf_cover_b": mass_shared / mass_b if mass_b else 0.0,
            "idf_shared": min(mass_shared / weights.unknown, 5.0) / 5,
            "cosine": cosine,
            "best_cosine": self.best_cosine,
            "missing_a": max(missing_a, default=0.0) / weights.unknown,
            "missing_b": max(missing_b, default=0.0) / weights.unknown,
            "refute_best": min(best.refutations, 2) / 2,
            "doubt_best": min(best.doubts, 2) / 2,
            "hedge_best": min(best.hedges, 2) / 2,
            "neg_best": min(best.negations, 2) / 2,
            "support_best": min(best.supports, 2) / 2,
            "body_hedge": min(whole.hedges / max(self.sentence_count, 1), 1.0),
            "body_support": min(whole.supports / max(self.sentence_count, 1), 1.0),
        }
        for name in ("refute_best", "neg_best", "hedge_best", "doubt_best"):
            features[f"{name}*cosine"] = features[name] * self.best_cosine
        for side, cues in (("a", a), ("b", b)):
            features[f"refute_{side}*idf_cover"] = min(cues.refutations, 1) * idf_cover_a
            features[f"neg_{side}*idf_cover"] = min(cues.negations, 1) * idf_cover_a
        return features

    def fact_differences(self) -> list[tuple[Slot, str]]:
        """Slots (number, date, place) that both texts state with no value in common."""
        if self._slots is None:
            self._slots = _fact_differences(self.a.text, self.b.text)
        return self._slots

    def rule(self) -> tuple[Slot, str] | None:
        """A conflict a person can check, for two texts that state the same thing."""
        if self.long:
            return None
        a, b = self.a, self.b
        speakers = _quote_speakers(a.text, b.text)
        if speakers is not None:
            return "speaker", f"The same words are given to {speakers[0]} and to {speakers[1]}."
        if self.cover_min < _SAME_STATEMENT or len(self.shared) < 3:
            return None
        if a.says != b.says and a.denies != b.denies and (a.denies or b.denies):
            return "negation", "One text reports a statement that the other says was denied."
        if (a.negations > 0) != (b.negations > 0) and self.cover_min >= 0.75:
            return "negation", "One text negates what the other states."
        # Headlines name places loosely ("Saudi" against "Saudi Arabia"): a place is a
        # conflict only between texts that match almost word for word.
        differences = [
            (slot, reason)
            for slot, reason in self.fact_differences()
            if slot != "place" or self.cover_min >= 0.75
        ]
        if differences:
            return differences[0]
        actors = _different_actors(a.text, b.text)
        if actors is not None and self.cover_min >= 0.75:
            return "actor", f"The same action is given to {actors[0]} and to {actors[1]}."
        return None

    def conflict_reason(self) -> tuple[Slot | None, str]:
        a, b = self.a, self.b
        if (a.says and b.denies) or (a.denies and b.says):
            return "negation", "One text reports a statement that the other says was denied."
        if (a.refutations > 0) != (b.refutations > 0):
            return "negation", "One text calls the claim false, denied or a hoax; the other not."
        if (a.negations > 0) != (b.negations > 0):
            return "negation", "One text negates what the other states."
        differences = self.fact_differences()
        if differences:
            return differences[0]
        return None, "The texts are about the same event but weaken each other."

    def agree_reason(self) -> str:
        if self.cover_min >= _SAME_STATEMENT:
            return "The texts state the same thing with no number, date, place or denial apart."
        return "The texts report the same event without contradicting each other."

    def unrelated_reason(self) -> str:
        if not self.shared:
            return "The texts share no content words."
        if len(self.shared) < 2:
            return "The texts share almost no content words."
        return "The texts touch the same subject but make different statements."


_FACT_SLOTS: tuple[FactKind, ...] = ("number", "date", "place")


def _fact_differences(a: str, b: str) -> list[tuple[Slot, str]]:
    ours = find_facts(Article(id="a", source="a", text=a))
    theirs = find_facts(Article(id="b", source="b", text=b))
    found: list[tuple[Slot, str]] = []
    for slot in _FACT_SLOTS:
        pair = differing_facts(ours, theirs, slot)
        if pair is not None:
            noun = {"number": "numbers", "date": "dates", "place": "places"}[slot]
            found.append(
                (
                    slot,
                    f"The texts give different {noun} for the same thing: "
                    f"{pair[0].text} and {pair[1].text}.",
                )
            )
    return found


_CAPITALISED_WORDS = r"[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*)*"
"""Capitalised words with one space between them. Words are split only at spaces, so a run of
capitals ("SENATE REPUBLICANS POISED") has one reading, not exponentially many."""
_SPEAKER_AFTER = re.compile(
    rf"[\"”]\s*,?\s*(?:(?:said|says|according to)\s+({_CAPITALISED_WORDS})"
    rf"|({_CAPITALISED_WORDS})\s+(?:said|says))"
)
_SPEAKER_BEFORE = re.compile(rf"({_CAPITALISED_WORDS})\s+(?:said|says|told \w+)\s*[:,]?\s*[\"“]")


def _quote_speakers(a: str, b: str) -> tuple[str, str] | None:
    """The two speakers when both texts quote the same words and name different people."""
    quotes_a, quotes_b = _QUOTED.findall(a), _QUOTED.findall(b)
    if not quotes_a or not quotes_b:
        return None
    if not any(fuzz.ratio(x.lower(), y.lower()) >= 85 for x in quotes_a for y in quotes_b):
        return None
    left, right = _speaker(a), _speaker(b)
    if left is None or right is None:
        return None
    if set(left.lower().split()) & set(right.lower().split()):
        return None
    return left, right


def _speaker(text: str) -> str | None:
    match = _SPEAKER_AFTER.search(text) or _SPEAKER_BEFORE.search(text)
    if match is None:
        return None
    return next(group for group in match.groups() if group).strip().rstrip(".")


def _different_actors(a: str, b: str) -> tuple[str, str] | None:
    """The leading names when two texts open with different names and otherwise match."""
    if _title_case(a) or _title_case(b):
        return None
    left, right = _NAME.match(a.strip()), _NAME.match(b.strip())
    if left is None or right is None:
        return None
    name_a, name_b = left.group(), right.group()
    if {name_a.split()[0].lower(), name_b.split()[0].lower()} & _NOT_NAMES:
        return None
    # A capitalised first word is often no name at all ("Magic mushrooms", "Found missing");
    # a name the other text also uses is no other actor.
    if name_a.lower() in b.lower() or name_b.lower() in a.lower():
        return None
    rest_a = {_stem(w) for w in _words(a[left.end() :]) if w not in _STOPWORDS}
    rest_b = {_stem(w) for w in _words(b[right.end() :]) if w not in _STOPWORDS}
    if not rest_a or not rest_b:
        return None
    if len(rest_a & rest_b) / min(len(rest_a), len(rest_b)) < 0.8:
        return None
    return name_a, name_b


_NOT_NAMES = _STOPWORDS | frozenset(
    "some many few several two three four five six seven eight nine ten dozens hundreds "
    "thousands officials police reports".split()
)


def _title_case(text: str) -> bool:
    """A headline in Title Case, where capitals say nothing about names."""
    words = re.findall(r"[A-Za-z]+", text)
    return len(words) > 3 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


@cache
def _shipped_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_MODEL_FILE.read_text(encoding="utf-8"))
    return data


@cache
def _shipped_model() -> RelateModel:
    return RelateModel.from_json(_shipped_data())


@dataclass(frozen=True)
class _WordWeights:
    """Inverse document frequency of stemmed content words in general news text; a word
    outside the table is rarer than any in it and gets ``unknown``."""

    known: dict[str, float]
    unknown: float

    def __getitem__(self, word: str) -> float:
        return self.known.get(word, self.unknown)


_word_weight_table: _WordWeights | None = None


def _word_weights() -> _WordWeights:
    global _word_weight_table
    if _word_weight_table is None:
        table = _shipped_data()["word_weights"]
        _word_weight_table = _WordWeights(table["words"], table["unknown"])
    return _word_weight_table


def _use_word_weights(words: dict[str, float], unknown: float) -> None:
    """Replace the shipped word weights: the training script computes them before any model
    exists, and the features read them."""
    global _word_weight_table
    _word_weight_table = _WordWeights(words, unknown)
