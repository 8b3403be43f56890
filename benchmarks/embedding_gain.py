"""Does a static embedding model earn its place in `verifier relate`? Measure it.

    pip install wordllama        # not a dependency of verifier: this script decides whether
    python benchmarks/embedding_gain.py [EVALDATA]      # default ../shared/evaldata

The candidate is WordLlama's l2_supercat_256 (MIT), the one embedding model found whose
weights ship inside its PyPI wheel (16 MB of float16 token vectors, 256 dimensions; the wheel
is 19 MB and brings numpy, tokenizers and safetensors). Its own loader fetches the tokenizer
from Hugging Face even though the wheel carries it, so this script reads both files from the
installed package directly and mean-pools the token vectors of each text.

It cross-validates the relate model twice on the same folds as benchmarks/train_relate.py
(grouped by topic, rumour and headline): with the hand-made features alone, and with the
embedding cosine of the two texts added as one more feature. Products and differences of the
two vectors (512 more features) were also tried during development and overfit: macro-F1
fell on every set. Both runs here take the most probable label (no tuned offsets), so the
figures sit a little off train_relate.py's; what matters is the difference between them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from relate_eval import LOADERS, ROOT
from train_relate import FOLDS, Matrix, fit, logits, macro_f1, training_set


class StaticEmbedding:
    """Mean-pooled, unit-length token vectors of the WordLlama wheel."""

    def __init__(self) -> None:
        try:
            import wordllama  # type: ignore[import-untyped]
            from safetensors import safe_open
            from tokenizers import Tokenizer
        except ImportError:
            sys.exit("embedding_gain.py: pip install wordllama first")
        package = Path(wordllama.__file__).parent
        self.tokenizer = Tokenizer.from_file(
            str(package / "tokenizers" / "l2_supercat_tokenizer_config.json")
        )
        with safe_open(str(package / "weights" / "l2_supercat_256.safetensors"), "np") as f:
            self.vectors = f.get_tensor("embedding.weight").astype(np.float32)

    def __call__(self, texts: list[str]) -> Matrix:
        pooled = np.zeros((len(texts), self.vectors.shape[1]))
        for row, text in enumerate(texts):
            ids = self.tokenizer.encode(text[:4000], add_special_tokens=False).ids
            if ids:
                pooled[row] = self.vectors[ids].mean(axis=0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Matrix = pooled / np.where(norms == 0, 1.0, norms)
        return result


def main(argv: list[str]) -> None:
    evaldata = Path(argv[0]) if argv else Path("../shared/evaldata")
    if not evaldata.is_absolute():
        evaldata = ROOT / evaldata
    embed = StaticEmbedding()
    data = training_set(evaldata)
    rows, names, x, y, terms = data.rows, data.names, data.x, data.y, data.terms
    set_names, weights, folds = np.array(data.set_names), data.weights, data.folds

    short = [(e.a, e.b) for name, e in rows if name != "FNC-1"]
    started = time.perf_counter()
    embed([a for a, _ in short])
    embed([b for _, b in short])
    rate = len(short) / (time.perf_counter() - started)
    cosine = (embed([e.a for _, e in rows]) * embed([e.b for _, e in rows])).sum(axis=1)

    print(f"embedding cosine: {rate:,.0f} short pairs/s (both texts embedded, one core)")
    for label, matrix, columns in (
        ("hand-made features", x, names),
        ("+ embedding cosine", np.hstack([x, cosine[:, None]]), [*names, "embedding_cosine"]),
    ):
        predicted = np.zeros(len(y), dtype=np.int64)
        for fold in range(FOLDS):
            train = folds != fold
            model = fit(
                matrix[train],
                y[train],
                weights[train] / weights[train].sum(),
                columns,
                terms.subset(train),
            )
            held_out = logits(model, matrix[~train], terms.subset(~train))
            predicted[~train] = held_out.argmax(axis=1)
        figures = "  ".join(
            f"{name} {macro_f1(y[set_names == name], predicted[set_names == name]):.3f}"
            for name in LOADERS
        )
        print(f"{label:20} CV macro-F1  {figures}")


if __name__ == "__main__":
    main(sys.argv[1:])
