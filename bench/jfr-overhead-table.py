#!/usr/bin/env python3
"""Prints the JFR overhead table from bench/run-jfr-overhead.sh's results directory.

usage: python3 bench/jfr-overhead-table.py bench/results/jfr-overhead

For each scenario and executor: per configuration the median ns/task over every measured
iteration of every round, and its ratio to a reference configuration, with the range of that
ratio over the rounds (each round's medians compared within the round, where the machine was
the same). Targets (issue 4): no-recording <= 1.01 x no-events; jwq-jfc <= 1.05 x no-recording.
"""
import glob
import json
import os
import statistics
import sys

CONFIGS = ["no-events", "no-recording", "empty", "jwq-jfc", "default", "default+jwq", "all-events"]
# Each configuration is compared with the one it adds something to.
REFERENCE = {"no-recording": "no-events", "empty": "no-recording", "jwq-jfc": "no-recording", "default": "no-recording",
             "default+jwq": "default", "all-events": "default"}


def load(directory):
    data = {}  # (config, round) -> {(method, executor): [iterations]}
    for path in glob.glob(os.path.join(directory, "*.json")):
        name = os.path.basename(path)[:-5]
        config, rnd = name.rsplit("-", 1)
        with open(path) as f:
            try:
                results = json.load(f)
            except json.JSONDecodeError:
                print(f"skipped {path}: not complete JSON (a run still writing it?)", file=sys.stderr)
                continue
            res = {}
            for r in results:
                key = (r["benchmark"].rsplit(".", 1)[1], r["params"]["executor"])
                res[key] = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
            data[(config, rnd)] = res
    return data


def main(directory):
    data = load(directory)
    rounds = sorted({rnd for _, rnd in data})
    keys = sorted({k for res in data.values() for k in res})
    print(f"rounds: {len(rounds)}; ns/task: median of all iterations (ratio to its reference: "
          "all rounds pooled [min-max of the per-round ratios])\n")
    configs = [c for c in CONFIGS if any((c, rnd) in data for rnd in rounds)]
    print("| scenario | executor | " + " | ".join(configs) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in configs) + " |")
    for key in keys:
        pooled = {c: [x for rnd in rounds for x in data.get((c, rnd), {}).get(key, [])] for c in configs}
        cells = []
        for c in configs:
            if not pooled[c]:
                cells.append("")
                continue
            med = statistics.median(pooled[c])
            ref = REFERENCE.get(c)
            if ref and pooled.get(ref):
                per_round = []
                for rnd in rounds:
                    a = data.get((c, rnd), {}).get(key)
                    b = data.get((ref, rnd), {}).get(key)
                    if a and b:
                        per_round.append(statistics.median(a) / statistics.median(b))
                ratio = med / statistics.median(pooled[ref])
                cells.append(f"{med:.1f} ({ratio:.2f}x [{min(per_round):.2f}-{max(per_round):.2f}])")
            else:
                cells.append(f"{med:.1f}")
        print(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + " |")
    print("\nreferences: " + ", ".join(f"{c} vs {r}" for c, r in REFERENCE.items()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/jfr-overhead")
