"""Pair judgements (agree / conflict / unrelated) measured on three labelled sets.

    python benchmarks/relate_eval.py [EVALDATA]      # default ../shared/evaldata

EVALDATA is the shared evaluation folder (relative paths are taken from the repository root).
Each pair goes through `verifier.relate.relate(a, b)` exactly as `verifier relate` runs it.

Label mapping:
- ClaimDiff (train split here): claim_a, claim_b. ClaimDiff-S and ClaimDiff-W are joined on
  `pair_id`; S=1 (B strengthens A) is agree, W=1 (B weakens A) is conflict, neither is
  unrelated (the pairs never have both).
- Emergent: the rumour (`claimHeadline`) against an article headline (`articleHeadline`);
  for = agree, against = conflict. `observing` (the headline repeats the rumour without
  taking a side) is neither and is left out, as the issue lists only for and against.
- FNC-1: headline against article body; agree = agree, disagree = conflict, unrelated =
  unrelated. `discuss` (the body reports the claim without taking a side) is left out, as the
  issue lists only agree, disagree and unrelated.

Macro-F1 is the mean F1 over the gold labels present in the set (agree and conflict for
Emergent; a prediction of unrelated there counts only as a miss). Speed: relate() per pair,
one process, one core, after a warm-up, on the short pairs (ClaimDiff and Emergent: two
sentences or headlines) and separately on FNC-1 (a headline against a whole article body).

The shipped model was trained on all of these pairs (benchmarks/train_relate.py), so the
figures this script prints are in-sample; train_relate.py prints the cross-validated ones.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from verifier.relate import PairRelation, relate

ROOT = Path(__file__).resolve().parent.parent
LABELS: tuple[PairRelation, ...] = ("agree", "conflict", "unrelated")


@dataclass(frozen=True)
class Example:
    id: str
    a: str
    b: str
    label: str
    group: str
    """Pairs that share a group (a topic, a rumour, a headline) are kept in one fold."""


def load_claimdiff(evaldata: Path) -> list[Example]:
    folder = evaldata / "claimdiff"
    strong = json.loads(
        (folder / "ClaimDiff-S" / "ClaimDiff-strength-train.json").read_text(encoding="utf-8")
    )["data"]
    weak = {
        row["pair_id"]: row["relation"]
        for row in json.loads(
            (folder / "ClaimDiff-W" / "ClaimDiff-weak-train.json").read_text(encoding="utf-8")
        )["data"]
    }
    examples = []
    for row in strong:
        label = "agree" if row["relation"] else "conflict" if weak[row["pair_id"]] else "unrelated"
        examples.append(
            Example(row["pair_id"], row["claim_a"], row["claim_b"], label, row["topic"])
        )
    return examples


def load_emergent(evaldata: Path) -> list[Example]:
    mapping = {"for": "agree", "against": "conflict"}
    path = evaldata / "emergent" / "url-versions-2015-06-14-clean.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Example(
                row["id"],
                row["claimHeadline"],
                row["articleHeadline"],
                mapping[row["articleHeadlineStance"]],
                row["claimId"],
            )
            for row in csv.DictReader(handle)
            if row["articleHeadlineStance"] in mapping
        ]


def load_fnc1(evaldata: Path) -> list[Example]:
    mapping = {"agree": "agree", "disagree": "conflict", "unrelated": "unrelated"}
    folder = evaldata / "fnc1"
    with (folder / "competition_test_bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with (folder / "competition_test_stances.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Example(
                f"{number}",
                row["Headline"],
                bodies[row["Body ID"]],
                mapping[row["Stance"]],
                row["Headline"],
            )
            for number, row in enumerate(csv.DictReader(handle))
            if row["Stance"] in mapping
        ]


LOADERS: dict[str, Callable[[Path], list[Example]]] = {
    "ClaimDiff": load_claimdiff,
    "Emergent": load_emergent,
    "FNC-1": load_fnc1,
}


def scores(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, dict[str, float]]:
    """Accuracy, macro-F1 over the gold labels present, and F1 per label."""
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    per_label = {}
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        per_label[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return accuracy, sum(per_label.values()) / len(per_label), per_label


def report(name: str, gold: Sequence[str], predicted: Sequence[str]) -> str:
    accuracy, macro, per_label = scores(gold, predicted)
    labels = "  ".join(f"{label} {f1:.3f}" for label, f1 in per_label.items())
    counts = Counter(gold)
    mix = ", ".join(f"{counts[label]} {label}" for label in LABELS if counts[label])
    return (
        f"{name:10} n={len(gold):5}  acc {accuracy:.3f}  macro-F1 {macro:.3f}  ({labels})  [{mix}]"
    )


def pairs_per_second(examples: Sequence[Example]) -> float:
    for example in examples[:50]:
        relate(example.a, example.b)
    started = time.perf_counter()
    for example in examples:
        relate(example.a, example.b)
    return len(examples) / (time.perf_counter() - started)


def main(argv: Sequence[str]) -> None:
    evaldata = Path(argv[0]) if argv else Path("../shared/evaldata")
    if not evaldata.is_absolute():
        evaldata = ROOT / evaldata
    sets = {name: load(evaldata) for name, load in LOADERS.items()}
    print("Shipped model (trained on these pairs: in-sample figures)")
    for name, examples in sets.items():
        predicted = [relate(e.a, e.b).relation for e in examples]
        print(report(name, [e.label for e in examples], predicted))
    short = sets["ClaimDiff"] + sets["Emergent"]
    print(f"speed: {pairs_per_second(short):,.0f} short pairs/s", end="")
    print(f"; {pairs_per_second(sets['FNC-1'][:2000]):,.0f} headline/body pairs/s")


if __name__ == "__main__":
    main(sys.argv[1:])
