"""How well, and at what cost, statements of different articles are lined up (verifier.align).

    python benchmarks/align_eval.py [EVALDATA]      # default ../shared/evaldata

1. Event pairing on Emergent: every article headline (for, against and observing) is a
   statement of its own article; two headlines speak of the same happening when they report
   the same rumour (`claimId`, labelled by Emergent's annotators). For each threshold on
   `Statements.similarity` (the rarity-weighted share of the lighter statement's words that the
   other holds), the pairs at or above it are scored against the same-rumour pairs: precision,
   recall and F1. verifier uses SAME_EVENT (0.2) for "the same happening" and SAME_STATEMENT
   (0.3, plus each the other's best match) for "the same statement". Word rarity is computed
   over the headlines themselves, as `compare` computes it over a report's statements.
2. Cost: the sentences of the PolNeAR articles (each sentence a statement, each article an
   owner) in growing numbers; for each, the candidate pairs `Statements.pairs` scores (pairs of
   different articles sharing an uncommon word), against all pairs, and the time taken. The
   comparisons should grow about linearly with the statements, not with their square.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from relate_eval import ROOT

from verifier.align import SAME_EVENT, SAME_STATEMENT, Statements, shared_word_pairs
from verifier.models import Claim
from verifier.text import paragraphs, sentences

THRESHOLDS = (0.1, 0.15, SAME_EVENT, 0.25, SAME_STATEMENT, 0.4, 0.5)
SIZES = (1_000, 2_000, 4_000, 8_000, 16_000)


def statement(number: int, owner: str, text: str) -> Claim:
    return Claim(id=f"s{number}", article=owner, text=text, start=0, end=len(text))


def emergent_headlines(evaldata: Path) -> tuple[list[Claim], list[str]]:
    path = evaldata / "emergent" / "url-versions-2015-06-14-clean.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["articleHeadline"].strip()]
    claims = [statement(n, f"a{n}", row["articleHeadline"]) for n, row in enumerate(rows)]
    return claims, [row["claimId"] for row in rows]


def pairing(claims: Sequence[Claim], events: Sequence[str]) -> None:
    found = Statements(claims)
    gold = {
        (left, right)
        for left in range(len(claims))
        for right in range(left + 1, len(claims))
        if events[left] == events[right]
    }
    scored = found.pairs(min(THRESHOLDS))
    print(
        f"Emergent: {len(claims)} headlines of {len(set(events))} rumours, "
        f"{len(gold):,} same-rumour pairs among {len(claims) * (len(claims) - 1) // 2:,}"
    )
    print("threshold  precision  recall  F1     pairs")
    for threshold in THRESHOLDS:
        kept = {pair for pair, score in scored.items() if score >= threshold}
        right = len(kept & gold)
        precision = right / len(kept) if kept else 0.0
        recall = right / len(gold)
        f1 = 2 * precision * recall / (precision + recall) if right else 0.0
        note = {SAME_EVENT: "  SAME_EVENT", SAME_STATEMENT: "  SAME_STATEMENT"}.get(threshold, "")
        print(f"{threshold:9.2f}  {precision:9.3f}  {recall:6.3f}  {f1:.3f}  {len(kept):6,}{note}")


def polnear_sentences(evaldata: Path) -> list[Claim]:
    claims: list[Claim] = []
    for path in sorted((evaldata / "polnear" / "data").glob("*/text/*.txt")):
        text = path.read_text(encoding="utf-8")
        for paragraph in paragraphs(text):
            for start, end in sentences(text, *paragraph):
                claims.append(statement(len(claims), path.stem, text[start:end]))
    return claims


def cost(claims: Sequence[Claim]) -> None:
    print(f"Cost on PolNeAR sentences ({len(claims):,} available, taken in article order)")
    print("statements  articles  comparisons  per statement  all pairs        seconds")
    for size in SIZES:
        part = claims[:size]
        started = time.perf_counter()
        found = Statements(part)
        owners = [claim.article for claim in part]
        candidates = shared_word_pairs(owners, found.words, ceiling=found.ceiling)
        found.pairs(SAME_EVENT)
        seconds = time.perf_counter() - started
        everything = size * (size - 1) // 2
        print(
            f"{size:10,}  {len(set(owners)):8,}  {len(candidates):11,}  "
            f"{len(candidates) / size:13.1f}  {everything:13,}  {seconds:7.2f}"
        )


def main(argv: Sequence[str]) -> None:
    evaldata = Path(argv[0]) if argv else Path("../shared/evaldata")
    if not evaldata.is_absolute():
        evaldata = ROOT / evaldata
    pairing(*emergent_headlines(evaldata))
    print()
    cost(polnear_sentences(evaldata))


if __name__ == "__main__":
    main(sys.argv[1:])
