"""Entity extraction quality on CoNLL-2003 English dev, and speed per 700-word story.

    uv run python benchmarks/ner_quality.py [--eval ../shared/eval] [--runs 5]

Quality comes from the shared scorer (../shared/eval/score_ner.py, run in this process on
reader.nlp:extract_entities): exact-match precision/recall/F1 for PER, LOC and ORG on the
dev split (eng.testa). The tagger is trained on eng.train only (scripts/train_ner.py), so
these are held-out figures.

Speed: median milliseconds per 700-word story for extract_entities alone and for
extract_entities + extract_timeline (entities passed on), over stories cut from the
TimeBank texts (real, untokenised news prose). "first pass" is the first time the
stories are seen (the tagger's per-word caches start empty); later passes reuse them.
Import time of reader.nlp and the first call (which loads the model) are measured in
fresh subprocesses.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from reader import nlp
from reader.nlp import ner_tagger

ROOT = Path(__file__).resolve().parents[1]
SPACY = "spaCy en_core_web_sm (README figure): micro F1 0.645, 4,400 words/s, 125 ms/story"


def load(eval_dir: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, eval_dir / f"{name}.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no {name}.py in {eval_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def quality(scorer: ModuleType, eval_dir: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        scorer.main(["--data", str(eval_dir / "conll2003" / "eng.testa"),
                     "--extractor", "reader.nlp:extract_entities"])
    return out.getvalue()


def stories(eval_dir: Path, words: int = 700) -> list[str]:
    """The TimeBank texts (tags stripped) joined and cut into stories of `words` words."""
    out: list[str] = []
    buffer: list[str] = []
    for path in sorted((eval_dir / "timebank").glob("*.tml")):
        raw = path.read_text(encoding="utf-8")
        body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
        text = re.sub(r"<[^>]+>", "", body.group(1) if body else raw)
        for paragraph in text.split("\n"):
            buffer.extend(paragraph.split())
            buffer.append("\n")
            if len(buffer) >= words:
                out.append(" ".join(buffer[:words]).replace(" \n ", "\n"))
                buffer = buffer[words:]
    return out


def ms_per_story(call, items: list[str], runs: int) -> tuple[float, float]:
    """(first pass, median of later passes) in milliseconds per story."""
    passes = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        for text in items:
            call(text)
        passes.append((time.perf_counter() - start) / len(items) * 1000)
    return passes[0], statistics.median(passes[1:])


def war_story() -> str:
    """The Kharkiv counteroffensive story of tests/core/test_entities.py, doubled to ~750 words."""
    spec = importlib.util.spec_from_file_location("test_entities",
                                                  ROOT / "tests" / "core" / "test_entities.py")
    if spec is None or spec.loader is None:
        raise SystemExit("no tests/core/test_entities.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    story: str = module.STORY
    return story + "\n" + story.replace("Izium", "Lyman").replace("Kupiansk", "Svatove")


def in_subprocess(code: str, cached: bool = True) -> float:
    """Median of five fresh interpreters' answers to `code` (which prints one number).

    `cached`: with compiled bytecode kept between runs, as an installed app runs from its
    second start on (a warm-up run writes it, into a temporary folder, even where
    PYTHONDONTWRITEBYTECODE is set); otherwise every module is compiled from source."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as prefix:
        if cached:
            env["PYTHONPYCACHEPREFIX"] = prefix
            subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           cwd=ROOT, env=env)
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        out = []
        for _ in range(5):
            res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True, cwd=ROOT, env=env)
            out.append(float(res.stdout.strip()))
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    import_ms = in_subprocess(
        "import time; t = time.perf_counter(); import reader.nlp.entities, reader.nlp.timeline; "
        "print((time.perf_counter() - t) * 1000)")
    first_call_ms = in_subprocess(
        "import time, reader.nlp as n; t = time.perf_counter(); "
        "n.extract_entities('Zelenskiy visited Kharkiv.'); print((time.perf_counter() - t) * 1000)")
    print(f"import reader.nlp's extractors: {import_ms:.0f} ms; first extract_entities call "
          f"(loads model and gazetteer): {first_call_ms:.0f} ms")

    report = quality(load(args.eval, "score_ner"), args.eval)
    print("\nCoNLL-2003 English dev (eng.testa), exact match:")
    print("\n".join("  " + line for line in report.strip().splitlines()[:-1]))
    micro = re.search(r"F1=([\d.]+)\s*$", report)
    speed = re.search(r"speed: ([\d,]+) words/s", report)
    print(f"  ours: micro F1 {micro.group(1) if micro else '?'}, "
          f"{speed.group(1) if speed else '?'} words/s")
    print(f"  {SPACY}")

    items = stories(args.eval)
    published = dt.date(1998, 3, 1)
    first, warm = ms_per_story(nlp.extract_entities, items, args.runs)
    print(f"\n{len(items)} stories of 700 words (TimeBank prose):")
    print(f"  extract_entities: {warm:.2f} ms/story (first pass {first:.2f})")

    def both(text: str) -> None:
        nlp.extract_timeline(text, published, entities=nlp.extract_entities(text))

    war = war_story()
    _, warm = ms_per_story(nlp.extract_entities, [war], 50)
    tagger = ner_tagger.tagger()

    def cold(text: str) -> None:
        tagger._own.clear()
        tagger._ctx.clear()
        nlp.extract_entities(text)

    _, cold_ms = ms_per_story(cold, [war], 50)
    caps = sum(w[:1].isupper() for w in war.split()) / len(war.split())
    print(f"  war story ({len(war.split())} words, {caps:.0%} capitalised): "
          f"{warm:.2f} ms warm, {cold_ms:.2f} ms with the per-word caches emptied")
    try:
        first, warm = ms_per_story(both, items, args.runs)
    except Exception as exc:  # the timeline is built in parallel; report, don't fail
        print(f"  extract_entities + extract_timeline: failed ({exc!r})")
    else:
        print(f"  extract_entities + extract_timeline: {warm:.2f} ms/story "
              f"(first pass {first:.2f})")


if __name__ == "__main__":
    main()
