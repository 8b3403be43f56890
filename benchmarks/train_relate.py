"""Train the pair-judgement model (verifier/data/relate_model.json) and cross-validate it.

    python benchmarks/train_relate.py [EVALDATA] [--no-write]    # default ../shared/evaldata

Reads the ClaimDiff, Emergent and FNC-1 pairs that benchmarks/relate_eval.py measures (same
label mapping), computes the features of `verifier.relate.pair_features` and, for a headline
against a body, the hashed words of `_Pair.terms` for each, and fits a multinomial logistic
regression by L-BFGS (numpy and scipy.sparse, training only; the package reads the weights in
pure Python). Deterministic: no random state. Set OPENBLAS_NUM_THREADS=1 if it is slow.

Word buckets: TERM_BUCKETS hashed ids, each with one weight per class and a stronger L2
(L2_TERMS) than the hand-made features; only the bucket ids and the weights are written.
Fixed, not tuned: 0.01 was the more cautious of two penalties (0.003, 0.01) that scored alike.

Weighting: each set carries the same total weight, and within a set a label's pairs weigh
count ** -0.75 each, so the small sets and the rare labels (conflict) are not drowned by
FNC-1's unrelated pairs. Features are standardised; the mean and scale are stored with the weights.

Word weights: inverse document frequency (a paragraph is a document) of the 20,000 commonest
stemmed content words of the PolNeAR and BASIL articles, none of which is a training pair;
stored as single words and numbers.

Decision offsets: the weights favour rare labels only partly, so for pairs with a long text
the logits of conflict and unrelated are shifted by the offsets that give the best macro-F1
on an inner cross-validation of the training rows (nested: the outer held-out fold is never
seen). Short pairs keep offset zero: tuned offsets for them did not carry over between folds.

Cross-validation: five folds by a hash of the group (ClaimDiff topic, Emergent rumour, FNC-1
headline text), so no headline or rumour is both trained and measured on. Each fold's model
judges its held-out pairs through `relate(a, b, model=...)`, the code path the command runs.
The shipped model is then fitted (and its offsets tuned) on all pairs and its in-sample
figures printed; only numbers and single words are written, no text.
"""

from __future__ import annotations

import json
import math
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from relate_eval import LABELS, LOADERS, ROOT, Example, report
from scipy import sparse  # type: ignore[import-untyped]

from verifier.relate import (
    RelateModel,
    _content_words,
    _Pair,
    _term_bucket,
    _use_word_weights,
    relate,
)

MODEL_FILE = ROOT / "verifier" / "data" / "relate_model.json"
FOLDS = 5
L2 = 0.01
BALANCE = 0.75
"""Label weight within a set is count ** -BALANCE: 1 would weigh each label equally, 0 each
pair; in between keeps the rare labels heard without predicting them everywhere."""
L2_TERMS = 0.01
"""Penalty on the word-bucket weights: many more of them, each seen on few pairs."""
TERM_BUCKETS = 4096
"""Hash buckets for the words of ``_Pair.terms`` (long texts only)."""
LBFGS_STEPS = 150
OFFSETS = np.arange(-1.5, 1.501, 0.25)
"""The logit offsets tried for conflict and unrelated against agree (pairs with a long text)."""
VOCABULARY = 20_000
"""Words kept in the table of word weights; rarer words share the weight of a word seen once."""

Matrix = NDArray[np.float64]


def news_paragraphs(evaldata: Path) -> Iterator[str]:
    """General news text for the word weights: the PolNeAR and BASIL articles, which are none
    of the pairs the model is trained or measured on."""
    for path in sorted((evaldata / "polnear" / "data").glob("*/text/*.txt")):
        yield from path.read_text(encoding="utf-8").splitlines()
    for path in sorted((evaldata / "basil" / "articles").glob("*/*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        yield article.get("title") or ""
        for paragraph in article.get("body-paragraphs") or []:
            yield " ".join(paragraph) if isinstance(paragraph, list) else str(paragraph)


def word_weights(evaldata: Path) -> tuple[dict[str, float], float]:
    """Inverse document frequency (a paragraph is a document) of the VOCABULARY commonest
    stemmed content words, and the weight of any other word. Only single words and numbers."""
    documents: Counter[str] = Counter()
    count = 0
    for paragraph in news_paragraphs(evaldata):
        words = _content_words(paragraph)
        if words:
            count += 1
            documents.update(words)
    kept = sorted(documents.items(), key=lambda item: (-item[1], item[0]))[:VOCABULARY]
    table = {word: round(math.log(count / df), 3) for word, df in kept}
    return table, round(math.log(count), 3)


def fold_of(set_name: str, example: Example) -> int:
    return zlib.crc32(f"{set_name}\0{example.group}".encode()) % FOLDS


def sample_weights(set_names: Sequence[str], labels: Sequence[str]) -> Matrix:
    weights = np.zeros(len(labels))
    for name in sorted(set(set_names)):
        members = np.array([n == name for n in set_names])
        present = {lab for n, lab in zip(set_names, labels, strict=True) if n == name}
        for label in sorted(present):
            rows = members & np.array([lab == label for lab in labels])
            weights[rows] = 1.0 / rows.sum() ** BALANCE
        weights[members] /= weights[members].sum()
    normalised: Matrix = weights / weights.sum()
    return normalised


class Terms:
    """The hashed words of some pairs (``_Pair.terms``), as a sparse 0/1 matrix."""

    def __init__(self, rows: Sequence[set[str]]) -> None:
        indices = [
            (i, bucket)
            for i, terms in enumerate(rows)
            for bucket in sorted({_term_bucket(t, TERM_BUCKETS) for t in terms})
        ]
        row, column = (np.array(v, dtype=np.int64) for v in zip(*indices, strict=True))
        shape = (len(rows), TERM_BUCKETS)
        self.matrix = sparse.csr_matrix((np.ones(len(row)), (row, column)), shape=shape)
        self.transposed = self.matrix.T.tocsr()

    def subset(self, keep: NDArray[np.bool_]) -> Terms:
        part = Terms.__new__(Terms)
        part.matrix = self.matrix[np.flatnonzero(keep)]
        part.transposed = part.matrix.T.tocsr()
        return part


def lbfgs(
    objective: Callable[[Matrix], tuple[float, Matrix]], start: Matrix, memory: int = 10
) -> Matrix:
    """Minimise a smooth convex function by L-BFGS with a backtracking (Armijo) line search."""
    x = start.copy()
    value, gradient = objective(x)
    steps: list[tuple[Matrix, Matrix]] = []
    for _ in range(LBFGS_STEPS):
        direction = -gradient
        alphas = []
        for s, change in reversed(steps):
            alpha = float(s @ direction) / float(change @ s)
            alphas.append(alpha)
            direction = direction - alpha * change
        if steps:
            s, change = steps[-1]
            direction = direction * float(s @ change) / float(change @ change)
        for (s, change), alpha in zip(steps, reversed(alphas), strict=True):
            beta = float(change @ direction) / float(change @ s)
            direction = direction + s * (alpha - beta)
        slope = float(gradient @ direction)
        if slope >= 0:
            direction, slope, steps = -gradient, -float(gradient @ gradient), []
        rate = 1.0 if steps else 0.1 / max(float(np.abs(gradient).max()), 1e-12)
        while True:
            candidate = x + rate * direction
            new_value, new_gradient = objective(candidate)
            if new_value <= value + 1e-4 * rate * slope or rate < 1e-10:
                break
            rate *= 0.5
        s, change = candidate - x, new_gradient - gradient
        if float(s @ change) > 1e-12:
            steps = [*steps, (s, change)][-memory:]
        converged = abs(value - new_value) < 1e-9 * max(1.0, abs(new_value))
        x, value, gradient = candidate, new_value, new_gradient
        if converged:
            break
    return x


def fit(
    x: Matrix,
    y: NDArray[np.int64],
    weights: Matrix,
    names: Sequence[str],
    terms: Terms,
) -> RelateModel:
    """Weighted multinomial logistic regression with L2 penalties (L2 on the hand-made
    features, L2_TERMS on the hashed words), by L-BFGS: with a few thousand word buckets the
    exact Hessian of Newton's method is too large."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    classes, width = len(LABELS), z.shape[1]
    target = np.eye(classes)[y]
    penalty = np.full((width, 1), L2)
    penalty[-1] = 0.0  # the bias is not shrunk
    dense = width * classes

    def objective(theta: Matrix) -> tuple[float, Matrix]:
        own = theta[:dense].reshape(width, classes)
        words = theta[dense:].reshape(TERM_BUCKETS, classes)
        scores = z @ own + terms.matrix @ words
        scores -= scores.max(axis=1, keepdims=True)
        log_p = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        loss = -float((weights * (log_p * target).sum(axis=1)).sum())
        loss += 0.5 * float((penalty * own**2).sum()) + 0.5 * L2_TERMS * float((words**2).sum())
        residual = (np.exp(log_p) - target) * weights[:, None]
        gradient_own = z.T @ residual + penalty * own
        gradient_words = terms.transposed @ residual + L2_TERMS * words
        return loss, np.concatenate([gradient_own.ravel(), gradient_words.ravel()])

    theta = lbfgs(objective, np.zeros(dense + TERM_BUCKETS * classes))
    own = theta[:dense].reshape(width, classes)
    words = theta[dense:].reshape(TERM_BUCKETS, classes)
    return RelateModel(
        classes=LABELS,
        features=tuple(names),
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        weights=tuple(tuple(round(float(v), 6) for v in own[:-1, k]) for k in range(classes)),
        bias=tuple(round(float(v), 6) for v in own[-1]),
        term_buckets=TERM_BUCKETS,
        term_weights={
            bucket: tuple(round(float(v), 4) for v in row)
            for bucket, row in enumerate(words)
            if np.abs(row).max() >= 5e-5
        },
    )


def logits(model: RelateModel, x: Matrix, terms: Terms) -> Matrix:
    z = (x - np.array(model.mean)) / np.array(model.scale)
    words = np.zeros((TERM_BUCKETS, len(LABELS)))
    for bucket, row in model.term_weights.items():
        words[bucket] = row
    result: Matrix = z @ np.array(model.weights).T + np.array(model.bias) + terms.matrix @ words
    return result


def macro_f1(gold: NDArray[np.int64], predicted: NDArray[np.int64]) -> float:
    f1 = []
    for label in np.unique(gold):
        tp = np.sum((gold == label) & (predicted == label))
        wrong = np.sum((gold == label) != (predicted == label))
        f1.append(2 * tp / (2 * tp + wrong))
    return float(np.mean(f1))


def long_text_offsets(
    scores: Matrix, y: NDArray[np.int64], set_names: Sequence[str]
) -> NDArray[np.float64]:
    """Logit offsets for conflict and unrelated that maximise the mean macro-F1 of the sets
    in ``scores`` (held-out logits of pairs with a long text); the smallest offsets win ties."""
    sets = np.array(set_names)
    best, chosen = -1.0, np.zeros(len(LABELS))
    for conflict in OFFSETS:
        for unrelated in OFFSETS:
            offset = np.array([0.0, conflict, unrelated])
            predicted = (scores + offset).argmax(axis=1)
            value = float(
                np.mean([macro_f1(y[sets == s], predicted[sets == s]) for s in np.unique(sets)])
            )
            if value > best + 1e-9 or (
                abs(value - best) <= 1e-9 and np.abs(offset).sum() < np.abs(chosen).sum()
            ):
                best, chosen = value, offset
    return chosen


def fit_tuned(
    x: Matrix,
    y: NDArray[np.int64],
    weights: Matrix,
    names: Sequence[str],
    terms: Terms,
    set_names: Sequence[str],
    groups: Sequence[int],
) -> RelateModel:
    """``fit``, then shift the logits of pairs with a long text so that their macro-F1 is best
    on an inner cross-validation of these rows alone (``groups``: inner fold by group). The
    weights favour the rare labels only partly (BALANCE), so the unrelated and conflict
    decisions want moving; short pairs are left alone, as their offsets did not carry over
    from one fold to another."""
    long = x[:, names.index("long_b")] > 0.5
    inner = np.array(groups)
    held_out = np.zeros((len(x), len(LABELS)))
    for fold in range(FOLDS):
        train = inner != fold
        part = weights[train] / weights[train].sum()
        model = fit(x[train], y[train], part, names, terms.subset(train))
        held_out[~train] = logits(model, x[~train], terms.subset(~train))
    offset = long_text_offsets(
        held_out[long], y[long], [n for n, k in zip(set_names, long, strict=True) if k]
    )
    model = fit(x, y, weights, names, terms)
    # long_b is 1 exactly for a long text: moving its weight by offset * scale and the bias by
    # +offset * mean shifts the long pairs' logits by offset and leaves the short ones alone.
    at = names.index("long_b")
    mean, scale = model.mean[at], model.scale[at]
    return RelateModel(
        classes=model.classes,
        features=model.features,
        mean=model.mean,
        scale=model.scale,
        weights=tuple(
            tuple(round(w + float(delta) * scale, 6) if i == at else w for i, w in enumerate(row))
            for row, delta in zip(model.weights, offset, strict=True)
        ),
        bias=tuple(
            round(b + float(delta) * mean, 6) for b, delta in zip(model.bias, offset, strict=True)
        ),
        term_buckets=model.term_buckets,
        term_weights=model.term_weights,
    )


def inner_fold_of(set_name: str, example: Example) -> int:
    return zlib.crc32(f"inner\0{set_name}\0{example.group}".encode()) % FOLDS


@dataclass
class TrainingSet:
    """Every labelled pair with its features, weight and fold, the word weights in force."""

    rows: list[tuple[str, Example]]
    names: list[str]
    x: Matrix
    y: NDArray[np.int64]
    terms: Terms
    set_names: list[str]
    weights: Matrix
    folds: NDArray[np.int64]
    unknown: float
    known: dict[str, float]


def training_set(evaldata: Path) -> TrainingSet:
    """Load the three sets, compute (and put in force) the word weights, then each pair's
    features: what this script and benchmarks/embedding_gain.py fit on."""
    known, unknown = word_weights(evaldata)
    _use_word_weights(known, unknown)
    rows = [(name, e) for name, load in LOADERS.items() for e in load(evaldata)]
    pairs = [_Pair(e.a, e.b) for _, e in rows]
    features = [pair.features() for pair in pairs]
    names = list(features[0])
    set_names = [name for name, _ in rows]
    return TrainingSet(
        rows=rows,
        names=names,
        x=np.array([[f[n] for n in names] for f in features]),
        y=np.array([LABELS.index(e.label) for _, e in rows]),
        terms=Terms([p.terms(f["idf_cover_a"]) for p, f in zip(pairs, features, strict=True)]),
        set_names=set_names,
        weights=sample_weights(set_names, [e.label for _, e in rows]),
        folds=np.array([fold_of(name, e) for name, e in rows]),
        unknown=unknown,
        known=known,
    )


def main(argv: Sequence[str]) -> None:
    write = "--no-write" not in argv
    paths = [a for a in argv if a != "--no-write"]
    evaldata = Path(paths[0]) if paths else Path("../shared/evaldata")
    if not evaldata.is_absolute():
        evaldata = ROOT / evaldata
    data = training_set(evaldata)
    rows, names, x, y, terms = data.rows, data.names, data.x, data.y, data.terms
    set_names, weights, folds = data.set_names, data.weights, data.folds
    known, unknown = data.known, data.unknown
    inner = np.array([inner_fold_of(name, e) for name, e in rows])

    predicted = [""] * len(rows)
    for fold in range(FOLDS):
        train = folds != fold
        model = fit_tuned(
            x[train],
            y[train],
            weights[train] / weights[train].sum(),
            names,
            terms.subset(train),
            [n for n, t in zip(set_names, train, strict=True) if t],
            inner[train].tolist(),
        )
        for i in np.flatnonzero(~train):
            predicted[i] = relate(rows[i][1].a, rows[i][1].b, model=model).relation
    print(f"Cross-validated ({FOLDS} folds grouped by topic / rumour / headline)")
    for name in LOADERS:
        members = [i for i, n in enumerate(set_names) if n == name]
        print(report(name, [rows[i][1].label for i in members], [predicted[i] for i in members]))

    model = fit_tuned(x, y, weights, names, terms, set_names, inner.tolist())
    in_sample = [relate(e.a, e.b, model=model).relation for _, e in rows]
    print("In-sample (the shipped model, fitted on all of these pairs)")
    for name in LOADERS:
        members = [i for i, n in enumerate(set_names) if n == name]
        print(report(name, [rows[i][1].label for i in members], [in_sample[i] for i in members]))
    if write:
        data = {
            "about": "Pair judgement weights written by benchmarks/train_relate.py "
            "(ClaimDiff train, Emergent and FNC-1 dev halves in ../shared/evaldata).",
            "classes": list(model.classes),
            "features": list(model.features),
            "mean": list(model.mean),
            "scale": list(model.scale),
            "weights": [list(row) for row in model.weights],
            "bias": list(model.bias),
            "term_buckets": model.term_buckets,
            "term_weights": {str(k): list(row) for k, row in model.term_weights.items()},
            "word_weights": {"unknown": unknown, "words": known},
        }
        MODEL_FILE.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
