"""Train the pair-judgement model (verifier/data/relate_model.json) and cross-validate it.

    python benchmarks/train_relate.py [EVALDATA] [--no-write]    # default ../shared/evaldata

Reads the ClaimDiff, Emergent and FNC-1 pairs that benchmarks/relate_eval.py measures (same
label mapping), computes `verifier.relate.pair_features` for each, and fits a multinomial
logistic regression by Newton's method (numpy, training only; the package reads the weights
in pure Python). Deterministic: no random state. Set OPENBLAS_NUM_THREADS=1 if it is slow.

Weighting: each set carries the same total weight, and within a set a label's pairs weigh
count ** -0.75 each, so the small sets and the rare labels (conflict) are not drowned by
FNC-1's unrelated pairs. Features are standardised; the mean and scale are stored with the weights.

Cross-validation: five folds by a hash of the group (ClaimDiff topic, Emergent rumour, FNC-1
headline text), so no headline or rumour is both trained and measured on. Each fold's model
judges its held-out pairs through `relate(a, b, model=...)`, the code path the command runs.
The shipped model is then fitted on all pairs; only numbers are written, no text.
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from relate_eval import LABELS, LOADERS, ROOT, Example, report

from verifier.relate import RelateModel, pair_features, relate

MODEL_FILE = ROOT / "verifier" / "data" / "relate_model.json"
FOLDS = 5
L2 = 0.01
BALANCE = 0.75
"""Label weight within a set is count ** -BALANCE: 1 would weigh each label equally, 0 each
pair; in between keeps the rare labels heard without predicting them everywhere."""
NEWTON_STEPS = 30

Matrix = NDArray[np.float64]


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


def fit(x: Matrix, y: NDArray[np.int64], weights: Matrix, names: Sequence[str]) -> RelateModel:
    """Weighted multinomial logistic regression with an L2 penalty, by Newton's method (a few
    thousand rows and under a hundred features: the exact Hessian is small)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    classes, width = len(LABELS), z.shape[1]
    theta = np.zeros((width, classes))
    target = np.eye(classes)[y]
    penalty = np.full(width, L2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(NEWTON_STEPS):
        logits = z @ theta
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        gradient = z.T @ ((p - target) * weights[:, None]) + penalty[:, None] * theta
        hessian = np.zeros((width * classes, width * classes))
        for k in range(classes):
            for j in range(classes):
                curvature = weights * p[:, k] * ((k == j) - p[:, j])
                block = (z * curvature[:, None]).T @ z
                hessian[k * width : (k + 1) * width, j * width : (j + 1) * width] = block
        hessian += np.diag(np.tile(penalty, classes)) + 1e-9 * np.eye(width * classes)
        step = np.linalg.solve(hessian, gradient.T.reshape(-1))
        theta -= step.reshape(classes, width).T
    return RelateModel(
        classes=LABELS,
        features=tuple(names),
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        weights=tuple(tuple(round(float(v), 6) for v in theta[:-1, k]) for k in range(classes)),
        bias=tuple(round(float(v), 6) for v in theta[-1]),
    )


def main(argv: Sequence[str]) -> None:
    write = "--no-write" not in argv
    paths = [a for a in argv if a != "--no-write"]
    evaldata = Path(paths[0]) if paths else Path("../shared/evaldata")
    if not evaldata.is_absolute():
        evaldata = ROOT / evaldata
    rows = [(name, e) for name, load in LOADERS.items() for e in load(evaldata)]
    features = [pair_features(e.a, e.b) for _, e in rows]
    names = list(features[0])
    x = np.array([[f[n] for n in names] for f in features])
    y = np.array([LABELS.index(e.label) for _, e in rows])
    set_names = [name for name, _ in rows]
    weights = sample_weights(set_names, [e.label for _, e in rows])
    folds = np.array([fold_of(name, e) for name, e in rows])

    predicted = [""] * len(rows)
    for fold in range(FOLDS):
        train = folds != fold
        model = fit(x[train], y[train], weights[train] / weights[train].sum(), names)
        for i in np.flatnonzero(~train):
            predicted[i] = relate(rows[i][1].a, rows[i][1].b, model=model).relation
    print(f"Cross-validated ({FOLDS} folds grouped by topic / rumour / headline)")
    for name in LOADERS:
        members = [i for i, n in enumerate(set_names) if n == name]
        print(report(name, [rows[i][1].label for i in members], [predicted[i] for i in members]))

    model = fit(x, y, weights, names)
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
        }
        MODEL_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
