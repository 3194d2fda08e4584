#!/usr/bin/env python3
"""Prints the README's earlier results tables from JMH JSON files of ThroughputBenchmark (-rf json),
the benchmark bench/README.md's earlier sections used (retired in 2026-12 for the scenario classes;
bench/table.py prints their tables).

usage: python3 bench/results-table.py RUN1.json [RUN2.json ...]

1. ns/task per scenario and executor: the median of every measured iteration of every given
   run (robust to a noisy neighbour hitting one iteration), then in brackets each run's JMH
   score ± its 99.9% confidence half-width.
2. Throughput ratios of jwq to ThreadPoolExecutor and ForkJoinPool, from the medians:
   ratio = other's ns/task / jwq's ns/task (> 1: jwq faster, < 1: jwq slower).
"""
import json
import statistics
import sys

EXECUTORS = ["jwq-percpu", "jwq-unbound", "tpe", "fjp", "virtual"]
SCENARIOS = [("external1", "(a) 1 external submitter"),
             ("external2", "(b) 2 external submitters"),
             ("chained", "(c) chains inside workers")]


def load(paths):
    runs = []  # per file: {(method, executor): (score, error, [iterations])}
    for path in paths:
        with open(path) as f:
            res = {}
            for r in json.load(f):
                m = r["primaryMetric"]
                key = (r["benchmark"].rsplit(".", 1)[1], r["params"]["executor"])
                iters = [x for fork in m["rawData"] for x in fork]
                res[key] = (m["score"], m["scoreError"], iters)
            runs.append(res)
    return runs


def main(paths):
    runs = load(paths)
    median = {}
    for method, _ in SCENARIOS:
        for ex in EXECUTORS:
            xs = [x for res in runs if (method, ex) in res for x in res[(method, ex)][2]]
            if xs:
                median[(method, ex)] = statistics.median(xs)
    n = len(runs)
    print(f"ns/task: median of all measured iterations of {n} run(s); in brackets, per run, "
          "JMH's score ± 99.9% CI half-width. Lower is better.\n")
    print("| scenario | " + " | ".join(EXECUTORS) + " |")
    print("| --- |" + " ---: |" * len(EXECUTORS))
    for method, label in SCENARIOS:
        cells = []
        for ex in EXECUTORS:
            if (method, ex) not in median:
                cells.append("n/a")
                continue
            per_run = " / ".join(f"{res[(method, ex)][0]:.0f} ± {res[(method, ex)][1]:.0f}"
                                 for res in runs if (method, ex) in res)
            cells.append(f"**{median[(method, ex)]:.0f}** ({per_run})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    print("Throughput ratio = other's ns/task ÷ jwq's ns/task, from the medians "
          "(> 1: jwq faster, < 1: jwq slower)\n")
    print("| scenario | jwq-percpu vs tpe | jwq-percpu vs fjp | jwq-unbound vs tpe | jwq-unbound vs fjp |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for method, label in SCENARIOS:
        cells = []
        for jwq in ("jwq-percpu", "jwq-unbound"):
            for other in ("tpe", "fjp"):
                a, b = median.get((method, jwq)), median.get((method, other))
                cells.append("n/a" if a is None or b is None else f"{b / a:.2f}")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
