#!/usr/bin/env python3
"""Prints the tables of one bench/run.sh results directory (Markdown).

usage: python3 bench/table.py bench/results/<scenario>-<time>

Reads what bench/run.sh wrote there: JMH JSON files <group>.<executor>.r<round>.json (bursts,
chains, latency), the latency scenario's <group>.<executor>.r<round>.latency.jsonl, and the
blocking harness's <group>.r<round>.jsonl. An executor run in the "main" group keeps its name;
one run in another group is named executor@group (tpe@agent: the plain ThreadPoolExecutor in a
JVM with the agent), except the rewritten pool, which exists only under the agent.

Throughput (bursts, chains): ns per task, the median of every measured iteration of every
round, with the range of the per-round medians. Ratios compare a jwq path with the JDK executor
it replaces: JDK ns/task / jwq ns/task (> 1: jwq faster) per round (each round's two medians,
taken where the machine was the same), the median of those and their range. The best jwq kind
is the fastest jwq kind by the pooled medians; per round, the fastest of that round. Latency: the percentiles of each trial's histogram, median over rounds [min-max].
Blocking: wall time / ideal, median over rounds [min-max], and the most threads that ran items.
Targets are issue 11's (speed) and issue 12's (blocking), marked met or missed.
"""
import glob
import json
import os
import re
import statistics
import sys

JWQ_KINDS = ["jwq-unbound", "jwq-percpu", "jwq-ordered", "twin-fixed", "twin-single", "twin-cached"]
ORDER = JWQ_KINDS + ["tpe-rewritten", "tpe-rewritten-single", "tpe@agent", "tpe", "fjp", "single", "cached", "virtual"]
BLOCKING_ORDER = ["jwq-unbound", "jwq-percpu", "jwq-unbound-blocking", "jwq-percpu-blocking", "twin-fixed-5ncpu",
                  "twin-cached", "tpe-rewritten-5ncpu", "tpe-5ncpu@agent", "tpe-5ncpu", "tpe-ncpu", "cached",
                  "fjp-managed", "virtual"]
# (jwq path, JDK executor it replaces, what the row says, whether issue 11 sets a target of >= 1.0)
PAIRS = [("tpe-rewritten", "tpe@agent", "rewritten TPE vs TPE, both in JVMs with the agent", True),
         ("tpe-rewritten", "tpe", "rewritten TPE vs TPE in a JVM without the agent", False),
         ("twin-fixed", "tpe", "twin newFixedThreadPool(ncpu) vs TPE(ncpu)", True),
         ("jwq-unbound", "tpe", "unbound vs TPE(ncpu)", True),
         ("tpe-rewritten-single", "single@agent",
          "rewritten newSingleThreadExecutor vs single-thread executor, both in JVMs with the agent", True),
         ("jwq-ordered", "single", "ordered vs single-thread executor", True),
         ("twin-single", "single", "twin newSingleThreadExecutor vs single-thread executor", True),
         ("twin-cached", "cached", "twin newCachedThreadPool vs cached pool", True),
         ("jwq-percpu", "tpe", "per-CPU vs TPE(ncpu)", False)]
LATENCY_TARGETS = ["jwq-unbound", "jwq-percpu", "twin-fixed"]  # p50 <= 50 us, p99 <= fjp's
LATENCY_P50_US = 50.0
BLOCKING_RATIO = 1.05  # issue 12: wall <= 1.05 x ideal with <= 2 x ncpu + 4 threads running items
BLOCKING_TARGETS = ["jwq-unbound", "jwq-percpu"]


def label(group, executor):
    if group == "main" or (group == "agent" and executor.startswith("tpe-rewritten")):
        return executor
    return f"{executor}@{group}"


def base(lbl):
    return lbl.split("@", 1)[0]


def variant(lbl):
    return lbl.split("@", 1)[1] if "@" in lbl else None


def round_of(path):
    m = re.search(r"\.r(\d+)\.[a-z.]+$", os.path.basename(path))
    return int(m.group(1)) if m else 0


def group_of(path):
    return os.path.basename(path).split(".", 1)[0]


def med(xs):
    return statistics.median(xs) if xs else None


def span(xs, fmt="{:.0f}"):
    return f"[{fmt.format(min(xs))}-{fmt.format(max(xs))}]" if len(xs) > 1 else ""


def ordered(labels, order):
    def key(lbl):
        b, v = base(lbl), variant(lbl) or ""
        return (order.index(b) if b in order else len(order), v, lbl)
    return sorted(labels, key=key)


def sort_variants_last(labels, order):
    main = [lbl for lbl in labels if variant(lbl) in (None, "agent")]
    rest = [lbl for lbl in labels if lbl not in main]
    return ordered(main, order) + ordered(rest, order)


# ---------------------------------------------------------------- JMH files


def load_jmh(directory):
    """{(scenario, label): {round: [iterations]}} and the unit of each scenario."""
    data, units = {}, {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        try:
            with open(path) as f:
                results = json.load(f)
        except (json.JSONDecodeError, OSError) as e:
            print(f"<!-- skipped {path}: {e} -->")
            continue
        rnd, grp = round_of(path), group_of(path)
        for r in results:
            method = r["benchmark"].rsplit(".", 2)
            params = r.get("params", {})
            scenario = f"{method[-2]}.{method[-1]}"
            if "rate" in params:
                scenario += f" @ {int(params['rate']):,}/s"
            lbl = label(grp, params["executor"])
            iters = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
            data.setdefault((scenario, lbl), {})[rnd] = iters
            units[scenario] = r["primaryMetric"]["scoreUnit"]
            # MixedBenchmark's background: ns per step of the busy pool beside each executor
            for name, metric in r.get("secondaryMetrics", {}).items():
                if name == "backgroundStep":
                    key = f"{scenario} (busy pool beside it, per step)"
                    data.setdefault((key, lbl), {})[rnd] = [x for fork in metric["rawData"] for x in fork]
                    units[key] = metric["scoreUnit"]
    return data, units


def throughput(data, units):
    scenarios = sorted({s for s, _ in data})
    for scenario in scenarios:
        rows = {lbl: data[(s, lbl)] for s, lbl in data if s == scenario}
        pooled = {lbl: med([x for it in r.values() for x in it]) for lbl, r in rows.items()}
        per_round = {lbl: {rnd: med(it) for rnd, it in r.items()} for lbl, r in rows.items()}
        print(f"### {scenario}\n")
        print(f"{unit(units[scenario])}, median of all measured iterations [range of the per-round medians]; lower is better\n")
        print("| executor | " + unit(units[scenario]) + " | rounds |")
        print("| --- | ---: | ---: |")
        for lbl in sort_variants_last(rows, ORDER):
            rr = list(per_round[lbl].values())
            print(f"| {lbl} | **{pooled[lbl]:.1f}** {span(rr, '{:.1f}')} | {len(rr)} |")
        print()
        ratio_table(scenario, pooled, per_round)


def unit(jmh_unit):
    """JMH says ns/op; one operation of these benchmarks is many tasks, and its score is per task."""
    return "ns/task" if jmh_unit == "ns/op" else jmh_unit


def headline(rounds, pooled_ratio):
    """The median of the per-round ratios (rounds alternate executors, so each compares like with
    like); the ratio of the pooled medians where no round has both."""
    return med(rounds) if rounds else pooled_ratio


def ratio(pooled, per_round, jwq, jdk):
    """JDK / jwq: the headline ratio and the per-round ratios."""
    a, b = pooled.get(jwq), pooled.get(jdk)
    if a is None or b is None:
        return None, []
    rounds = [b2 / per_round[jwq][r] for r, b2 in per_round[jdk].items() if r in per_round[jwq]]
    return headline(rounds, b / a), rounds


def mark(value, target):
    if value is None or target is None:
        return ""
    return "met" if value >= target else "**missed**"


def ratio_table(scenario, pooled, per_round):
    print("Ratios: JDK ns/task / jwq ns/task (> 1: jwq faster), each round's medians compared within the "
          "round: median [range] of the per-round ratios; target (issue 11): >= 1.00\n")
    print("| jwq path | against | ratio | target |")
    print("| --- | --- | ---: | :---: |")
    configs = [None] + sorted({variant(lbl) for lbl in pooled if variant(lbl) not in (None, "agent")})
    for config in configs:
        suffix = "" if config is None else f"@{config}"
        for jwq, jdk, what, target in PAIRS:
            if config is not None and jwq == "tpe-rewritten":
                continue
            r, rounds = ratio(pooled, per_round, jwq + suffix, jdk)
            if r is None:
                continue
            print(f"| {jwq}{suffix} | {jdk} ({what}) | **{r:.2f}** {span(rounds, '{:.2f}')} | "
                  f"{mark(r, 1.0) if target else 'info'} |")
        kinds = [k + suffix for k in JWQ_KINDS if k + suffix in pooled]
        if kinds and "fjp" in pooled:
            best = min(kinds, key=lambda k: pooled[k])
            rounds = []
            for rnd, fjp in per_round["fjp"].items():
                here = [per_round[k][rnd] for k in kinds if rnd in per_round[k]]
                if here:
                    rounds.append(fjp / min(here))
            r = headline(rounds, pooled["fjp"] / pooled[best])
            print(f"| best jwq kind{suffix}: {best} | fjp (ForkJoinPool(ncpu)) | **{r:.2f}** {span(rounds, '{:.2f}')} | {mark(r, 1.0)} |")
    print()


# ---------------------------------------------------------------- latency


def load_latency(directory):
    """{(rate, label): {round: record}}"""
    data = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.latency.jsonl"))):
        rnd, grp = round_of(path), group_of(path)
        with open(path) as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    data.setdefault((rec["rate"], label(grp, rec["executor"])), {})[rnd] = rec
    return data


def latency(data, jmh):
    rates = sorted({rate for rate, _ in data})
    print("Submit-to-start latency from one spin-paced thread, microseconds: median over rounds of each "
          "trial's percentile [min-max over rounds]. Achieved: submissions/s JMH measured (the pacer "
          f"kept up if it equals the rate). Target (issue 11) for {', '.join(LATENCY_TARGETS)}: "
          f"p50 <= {LATENCY_P50_US:.0f} us and p99 <= ForkJoinPool's p99, at both rates.\n")
    for rate in rates:
        rows = {lbl: r for (rt, lbl), r in data.items() if rt == rate}
        fjp99 = med([rec["p99_us"] for rec in rows.get("fjp", {}).values()])
        print(f"### {rate:,} submissions/s\n")
        print("| executor | p50 us | p99 us | p99.9 us | max us | samples / round | achieved /s | target |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
        for lbl in sort_variants_last(rows, ORDER):
            recs = list(rows[lbl].values())
            cells = []
            for key in ("p50_us", "p99_us", "p999_us", "max_us"):
                xs = [rec[key] for rec in recs]
                cells.append(f"**{fmt_us(med(xs))}** {span(xs, '{:.0f}')}" if key != "max_us" else fmt_us(max(xs)))
            samples = med([rec["samples"] for rec in recs])
            achieved = jmh.get((f"LatencyBenchmark.submit @ {rate:,}/s", lbl))
            ach = f"{med([x for it in achieved.values() for x in it]):,.0f}" if achieved else ""
            target = ""
            if base(lbl) in LATENCY_TARGETS:
                p50 = med([rec["p50_us"] for rec in recs])
                p99 = med([rec["p99_us"] for rec in recs])
                ok = p50 <= LATENCY_P50_US and (fjp99 is not None and p99 <= fjp99)
                why = [] if ok else ([f"p50 {fmt_us(p50)} > 50"] if p50 > LATENCY_P50_US else []) + \
                    ([f"p99 {fmt_us(p99)} > fjp {fmt_us(fjp99)}"] if fjp99 is not None and p99 > fjp99 else [])
                target = "met" if ok else "**missed** (" + "; ".join(why) + ")"
            print(f"| {lbl} | " + " | ".join(cells) + f" | {samples:,.0f} | {ach} | {target} |")
        print()


def fmt_us(x):
    if x is None:
        return ""
    return f"{x:.1f}" if x < 100 else f"{x:,.0f}"


# ---------------------------------------------------------------- blocking


def load_blocking(directory):
    """{(submitters, label): [records]}"""
    data = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.jsonl"))):
        if path.endswith(".latency.jsonl"):
            continue
        rnd, grp = round_of(path), group_of(path)
        with open(path) as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    rec["round"] = rnd
                    data.setdefault((rec["submitters"], label(grp, rec["executor"])), []).append(rec)
    return data


def blocking(data):
    ncpu = next(iter(data.values()))[0]["ncpu"]
    allowed = 2 * ncpu + 4
    print(f"10,000 x (1 ms CPU + 4 ms sleep); wall / ideal (ideal = items x 1 ms / {ncpu} CPUs): median over "
          f"rounds [min-max]; workers: most distinct threads that ran items in a run (for virtual threads, "
          f"carriers); JVM peak: most live platform threads in the JVM. Target (issue 12) for "
          f"{', '.join(BLOCKING_TARGETS)} (plain sleep, no agent, no explicit call, no sampler): wall / ideal "
          f"<= {BLOCKING_RATIO} with at most {allowed} (2 x ncpu + 4) threads.\n")
    for subs in sorted({s for s, _ in data}):
        rows = {lbl: recs for (s, lbl), recs in data.items() if s == subs}
        print(f"### queued from {subs} thread{'s' if subs > 1 else ''}\n")
        print("| executor | wall / ideal | wall s | workers | JVM peak (at start) | in flight mean / peak | process CPU ms/item | target |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
        for lbl in sort_variants_last(rows, BLOCKING_ORDER):
            recs = rows[lbl]
            ratios = [r["ratio"] for r in recs]
            walls = [r["wall_s"] for r in recs]
            target = ""
            if base(lbl) in BLOCKING_TARGETS:
                ok = med(ratios) <= BLOCKING_RATIO and max(r["workers"] for r in recs) <= allowed
                sampler_off = all("jwq.blockingSampler=false" in r.get("jwq_settings", "") for r in recs)
                target = ("met" if ok else "**missed**") + ("" if sampler_off else " (sampler on)")
            print(f"| {lbl} | **{med(ratios):.2f}** {span(ratios, '{:.2f}')} | {med(walls):.2f} | "
                  f"{max(r['workers'] for r in recs)} | {max(r['jvm_peak_threads'] for r in recs)} "
                  f"({max(r['threads_at_start'] for r in recs)}) | {med([r['mean_in_flight'] for r in recs]):.1f} / "
                  f"{max(r['peak_in_flight'] for r in recs)} | {med([r['cpu_ms_per_item'] for r in recs]):.2f} | {target} |")
        print()
        pairs = [("twin-fixed-5ncpu", "tpe-5ncpu"), ("tpe-rewritten-5ncpu", "tpe-5ncpu@agent"),
                 ("tpe-rewritten-5ncpu", "tpe-5ncpu"), ("twin-cached", "cached"),
                 ("jwq-unbound", "fjp-managed"), ("jwq-percpu", "fjp-managed"),
                 ("jwq-unbound", "virtual"), ("jwq-percpu", "virtual")]
        lines = []
        for jwq, jdk in pairs:
            if jwq in rows and jdk in rows:
                a, b = med([r["wall_s"] for r in rows[jwq]]), med([r["wall_s"] for r in rows[jdk]])
                lines.append(f"| {jwq} | {jdk} | {b / a:.2f} |")
        if lines:
            print("| jwq | against | wall time ratio (> 1: jwq faster) |\n| --- | --- | ---: |")
            print("\n".join(lines))
            print()


# ---------------------------------------------------------------- main


def main(directory):
    machine = os.path.join(directory, "machine.txt")
    if os.path.exists(machine):
        with open(machine) as f:
            print("```\n" + f.read().rstrip() + "\n```\n")
    for path in sorted(glob.glob(os.path.join(directory, "failures.txt"))):
        with open(path) as f:
            print("**Failed forks:**\n\n```\n" + f.read().rstrip() + "\n```\n")
    jmh, units = load_jmh(directory)
    lat = load_latency(directory)
    blk = load_blocking(directory)
    if lat:
        latency(lat, jmh)
    elif jmh:
        throughput(jmh, units)
    if blk:
        blocking(blk)
    if not (jmh or lat or blk):
        sys.exit(f"no results in {directory}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
