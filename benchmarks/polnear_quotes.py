"""Quote and speaker finding, measured on a PolNeAR split (brat standoff attribution files).

    python benchmarks/polnear_quotes.py ../shared/evaldata/polnear/data/dev

Matching rules:
- Gold direct quotes are the Content spans whose text opens with a quote mark (" “ '' ‘ ').
  A discontinuous Content (a quote split by its attribution) is one gold quote made of its
  fragments.
- Predicted quotes are the quotes `find_quotes` marks `direct`; partial quotes (a few quoted
  words inside the outlet's own sentence) are reported by the tool but PolNeAR labels their
  Content as indirect speech, so they are not counted.
- A predicted quote matches a gold quote when their character ranges overlap by at least half
  of the shorter one. Precision counts predicted quotes that match some gold quote; recall
  counts gold quotes matched by some predicted quote.
- The speaker is right when the predicted speaker span or the mention next to the quote (a
  pronoun, a surname) overlaps the gold Source span, or when they share a name token
  (case-insensitive, two letters or more, not a function word or pronoun). Speaker accuracy is
  over matched pairs whose gold quote has a Source.
- Attribution F1: a predicted quote is correct when it matches a gold quote and its speaker
  is right for it; a gold quote is found when some predicted quote matching it has the right
  speaker.
- Speed: what `verifier quotes` does per article (read and decode the file with
  `load_article`, then `find_quotes`), over every article of the split, in one process on one
  core, after one warm-up pass.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from verifier.ingest import load_article
from verifier.models import Article, Quote
from verifier.quotes import find_quotes

_QUOTE_OPENERS = ('"', "“", "'", "‘")
_FUNCTION_WORDS = frozenset(
    "the a an of for and to in at on by with from he she it they we i his her its their our "
    "mr mrs ms dr who said says".split()
)


@dataclass
class Gold:
    fragments: list[tuple[int, int]]
    source: list[tuple[int, int]]
    source_text: str

    @property
    def length(self) -> int:
        return sum(end - start for start, end in self.fragments)


def load_split(directory: Path) -> list[tuple[Article, list[Gold]]]:
    """One (article, gold direct quotes) pair per article; the first annotator's file wins."""
    items = []
    seen: set[str] = set()
    for annotation in sorted((directory / "attributions").glob("*.ann")):
        name = annotation.stem.rsplit("_", 1)[0]
        if name in seen:
            continue
        seen.add(name)
        text = (directory / "text" / f"{name}.txt").read_text(encoding="utf-8")
        article = Article(id=f"a{len(items)}", source=name, text=text)
        items.append((article, _gold(annotation.read_text(encoding="utf-8"))))
    return items


def _gold(annotation: str) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    relations: list[dict[str, str]] = []
    for line in annotation.splitlines():
        parts = line.split("\t")
        if parts[0].startswith("T") and len(parts) > 2:
            label, ranges = parts[1].split(" ", 1)
            fragments = [(int(a), int(b)) for a, b in (r.split() for r in ranges.split(";"))]
            spans[parts[0]] = (label, fragments, parts[2])
        elif parts[0].startswith("E") and len(parts) > 1:
            relations.append(dict(role.split(":", 1) for role in parts[1].split()))
    golds = []
    for relation in relations:
        content = spans.get(relation.get("Content", ""))
        if content is None or not content[2].startswith(_QUOTE_OPENERS):
            continue
        source = spans.get(relation.get("Source", ""))
        golds.append(Gold(content[1], source[1] if source else [], source[2] if source else ""))
    return golds


def _overlap(start: int, end: int, fragments: list[tuple[int, int]]) -> int:
    return sum(max(0, min(end, b) - max(start, a)) for a, b in fragments)


def _matches(quote: Quote, gold: Gold) -> bool:
    shorter = min(quote.end - quote.start, gold.length)
    return shorter > 0 and _overlap(quote.start, quote.end, gold.fragments) * 2 >= shorter


def _tokens(text: str) -> set[str]:
    return {
        word for word in re.findall(r"[a-z][a-z'’\-]+", text.lower()) if word not in _FUNCTION_WORDS
    }


def speaker_right(quote: Quote, gold: Gold) -> bool:
    spans = [(quote.speaker_start, quote.speaker_end), (quote.mention_start, quote.mention_end)]
    for start, end in spans:
        if start is not None and end is not None and _overlap(start, end, gold.source) > 0:
            return True
    return bool(quote.speaker and _tokens(quote.speaker) & _tokens(gold.source_text))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate(items: list[tuple[Article, list[Gold]]]) -> dict[str, float]:
    predicted = gold_total = predicted_matched = gold_matched = 0
    pairs = speakers_right = attributed_predicted = attributed_gold = 0
    for article, golds in items:
        quotes = [q for q in find_quotes(article) if q.kind == "direct"]
        predicted += len(quotes)
        gold_total += len(golds)
        for quote in quotes:
            matched = [g for g in golds if _matches(quote, g)]
            predicted_matched += bool(matched)
            attributed_predicted += any(speaker_right(quote, g) for g in matched)
            for gold in matched:
                if gold.source:
                    pairs += 1
                    speakers_right += speaker_right(quote, gold)
        for gold in golds:
            matched_quotes = [q for q in quotes if _matches(q, gold)]
            gold_matched += bool(matched_quotes)
            attributed_gold += any(speaker_right(q, gold) for q in matched_quotes)
    precision = predicted_matched / predicted if predicted else 0.0
    recall = gold_matched / gold_total if gold_total else 0.0
    attribution_precision = attributed_predicted / predicted if predicted else 0.0
    attribution_recall = attributed_gold / gold_total if gold_total else 0.0
    return {
        "articles": len(items),
        "gold quotes": gold_total,
        "predicted quotes": predicted,
        "quote precision": precision,
        "quote recall": recall,
        "quote F1": _f1(precision, recall),
        "speaker accuracy": speakers_right / pairs if pairs else 0.0,
        "attribution F1": _f1(attribution_precision, attribution_recall),
    }


def articles_per_second(paths: list[Path], rounds: int = 3) -> float:
    for path in paths:
        find_quotes(load_article(path))
    started = time.perf_counter()
    for _ in range(rounds):
        for path in paths:
            find_quotes(load_article(path))
    return rounds * len(paths) / (time.perf_counter() - started)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "attributions").is_dir():
        print("usage: polnear_quotes.py SPLIT_DIR (holding text/ and attributions/)")
        return 2
    items = load_split(Path(argv[0]))
    for name, value in evaluate(items).items():
        print(f"{name:>18}: {value:.3f}" if isinstance(value, float) else f"{name:>18}: {value}")
    speed = articles_per_second(sorted((Path(argv[0]) / "text").glob("*.txt")))
    print(f"{'articles/second':>18}: {speed:.0f} (load_article + find_quotes, one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
