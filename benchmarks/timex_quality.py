"""Date extraction quality on TimeBank 1.2, and speed per 700-word story.

    uv run python benchmarks/timex_quality.py [--eval ../shared/eval] [--runs 20] [--errors]

Quality comes from the shared scorer (../shared/eval/score_timex.py, run in this process on
reader.nlp:extract_timeline): strict and relaxed extraction F1 against the TimeBank DATE
expressions, value accuracy on relaxed matches and value F1, with each document's creation
time as `published`. The timeline rules were written while looking at TimeBank (there is no
separate development split), so these are not held-out figures.

Speed: the TimeBank texts cut into 700-word stories; median milliseconds per story for
extract_timeline alone, extract_entities alone, and both (entities passed to the timeline).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import re
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

from reader import nlp

ANCHORS = ("HeidelTime (TempEval-3): relaxed F1 0.903, value F1 0.776; "
           "spaCy en_core_web_sm: strict F1 0.805, relaxed F1 0.884, no values")


def load_scorer(eval_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_timex", eval_dir / "score_timex.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no scorer in {eval_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def quality(scorer: ModuleType, eval_dir: Path) -> dict[str, float]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        scorer.main(["--data", str(eval_dir / "timebank"),
                     "--extractor", "reader.nlp:extract_timeline"])
    text = out.getvalue()
    figures = {}
    for name, pattern in (("strict", r"strict:.*F1=([\d.]+)"),
                          ("relaxed", r"relaxed:.*F1=([\d.]+)"),
                          ("accuracy", r"value accuracy[^:]*: ([\d.]+)"),
                          ("value_f1", r"value_F1=([\d.]+)")):
        match = re.search(pattern, text)
        figures[name] = float(match.group(1)) if match else float("nan")
    return figures


def stories(scorer: ModuleType, eval_dir: Path, words: int = 700) -> list[tuple[str, object]]:
    """The TimeBank texts joined and cut into stories of `words` words, with a date each."""
    out: list[tuple[str, object]] = []
    buffer: list[str] = []
    for path in sorted((eval_dir / "timebank").glob("*.tml")):
        text, published, _, _ = scorer.read_tml(str(path))
        for paragraph in text.split("\n"):
            buffer.extend(paragraph.split(" "))
            buffer.append("\n")
            if len(buffer) >= words:
                out.append((" ".join(buffer[:words]), published))
                buffer = buffer[words:]
    return out


def median_ms(call, items: list[tuple[str, object]], runs: int) -> float:
    per_story = []
    for _ in range(runs):
        start = time.perf_counter()
        for text, published in items:
            call(text, published)
        per_story.append((time.perf_counter() - start) / len(items))
    return statistics.median(per_story) * 1000


def show_errors(scorer: ModuleType, eval_dir: Path) -> None:
    """Every missed, spurious or wrongly valued expression, for working on the rules."""
    for path in sorted((eval_dir / "timebank").glob("*.tml")):
        text, published, gold, other = scorer.read_tml(str(path))
        preds = [(f.span[0], f.span[1], f.date) for f in nlp.extract_timeline(text, published)]
        preds = [p for p in preds if not any(scorer.overlaps(p[:2], o) for o in other)
                 or any(scorer.overlaps(p[:2], g[:2]) for g in gold)]
        used: set[int] = set()
        for start, end, value in sorted(preds):
            hit = next((i for i, g in enumerate(gold)
                        if i not in used and scorer.overlaps((start, end), g[:2])), None)
            if hit is None:
                print(f"extra  {value:12} {text[start:end]!r} ({path.name})")
                continue
            used.add(hit)
            if gold[hit][2] != value:
                print(f"value  {value:12} gold {gold[hit][2]:12} {text[start:end]!r} "
                      f"({path.name}, published {published})")
        for i, (start, end, value) in enumerate(gold):
            if i not in used:
                print(f"missed {value:12} {text[start:end]!r} ({path.name})")


def main(argv: list[str] | None = None) -> int:
    default_eval = Path(__file__).resolve().parents[2] / "shared" / "eval"
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=default_eval)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--errors", action="store_true", help="list every error instead")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.eval)
    if args.errors:
        show_errors(scorer, args.eval)
        return 0
    figures = quality(scorer, args.eval)
    items = stories(scorer, args.eval)
    timeline_ms = median_ms(nlp.extract_timeline, items, args.runs)
    entities_ms = median_ms(lambda text, _: nlp.extract_entities(text), items, args.runs)

    def both(text: str, published: object) -> None:
        nlp.extract_timeline(text, published, entities=nlp.extract_entities(text))  # type: ignore[arg-type]

    both_ms = median_ms(both, items, args.runs)
    print(f"TimeBank 1.2 DATE expressions ({args.eval / 'timebank'})")
    print(f"  strict extraction F1   {figures['strict']:.3f}")
    print(f"  relaxed extraction F1  {figures['relaxed']:.3f}")
    print(f"  value accuracy         {figures['accuracy']:.3f}")
    print(f"  value F1               {figures['value_f1']:.3f}")
    print(f"  anchors: {ANCHORS}")
    print(f"Speed, {len(items)} stories of 700 words, median of {args.runs} runs")
    print(f"  extract_timeline       {timeline_ms:.2f} ms/story")
    print(f"  extract_entities       {entities_ms:.2f} ms/story")
    print(f"  both                   {both_ms:.2f} ms/story (budget 5 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
