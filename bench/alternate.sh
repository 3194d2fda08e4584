#!/usr/bin/env bash
# A/B of builds or settings, one executor at a time: JMH forks of each configuration in turn,
# N times over, then each configuration's per-fork scores and their median. For comparing two
# builds of jwq (copies of bench/target/benchmarks.jar and agent/target/jwq-agent.jar made before
# and after a change) on a noisy machine, where run.sh's rounds of every executor take too long
# to repeat enough.
#
#   bench/alternate.sh N BENCHMARK "label|benchmarks.jar|executor|JVM flags" ...
#
# e.g. bench/alternate.sh 4 ChainBenchmark.chains \
#        "before|/tmp/before.jar|twin-fixed|--add-opens java.base/java.lang=ALL-UNNAMED" \
#        "after|/tmp/after.jar|twin-fixed|--add-opens java.base/java.lang=ALL-UNNAMED"
#
# A rewritten executor needs the agent in its flags: "-javaagent:/tmp/before-agent.jar=include=benchapp.AppPools".
# PARAMS: more JMH options, e.g. PARAMS="-p rate=10000" for LatencyBenchmark, whose forks report
# p50, p90 and p99 (us) and their medians instead of a score.
# Each fork: -f 1 -wi $WI -w 1 -i 3 -r ${R:-2}, -Xms1g -Xmx1g; JAVA as in run.sh. WI (warm-up
# iterations) is 2, or 8 for LatencyBenchmark (as in run.sh: a paced load needs longer for the JIT).
# Scores go to $OUT (default: a new directory under /tmp), one file per label.
set -euo pipefail
N=$1; BENCH=$2; shift 2
case $BENCH in LatencyBenchmark*) WI=${WI:-8} ;; *) WI=${WI:-2} ;; esac
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
OUT=${OUT:-$(mktemp -d /tmp/alternate.XXXXXX)}
mkdir -p "$OUT"
for i in $(seq 1 "$N"); do
  for cfg in "$@"; do
    IFS='|' read -r label jar exec flags <<< "$cfg"
    # shellcheck disable=SC2086
    log=$("$JAVA" -jar "$jar" "$BENCH" -p executor="$exec" -f 1 -wi "$WI" -w 1 -i 3 -r "${R:-2}" ${PARAMS:-} \
        -jvmArgsAppend "-Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED $flags" 2>&1)
    score=$(awk '/^[A-Z][A-Za-z]*Benchmark\./ {print $(NF-3)}' <<< "$log")
    # LatencyBenchmark: its percentiles (us), not its score (the rate it kept up).
    pct=$(sed -n 's/^latency .*"p50_us":\([0-9.]*\),"p90_us":\([0-9.]*\),"p99_us":\([0-9.]*\),.*/p50 \1 p90 \2 p99 \3/p' <<< "$log")
    if [ -n "$pct" ]; then
      echo "$pct" >> "$OUT/$label.latency"
      echo "$i $label $pct"
      continue
    fi
    if [ -n "$score" ]; then
      echo "$score" >> "$OUT/$label"
      echo "$i $label $score"
    else
      # Keep what the fork printed: a hang's timeout, an exception or a crash says which it was.
      echo "$log" > "$OUT/$label.failed-$i.log"
      echo "FAILED" >> "$OUT/$label"
      echo "$i $label FAILED (log: $OUT/$label.failed-$i.log)"
    fi
  done
done
# median TITLE COLUMN FILE: the column's values, sorted, and their median.
median() {
  sort -n -k"$2" "$3" | awk -v t="$1" -v k="$2" '{a[NR]=$k; s=s " " $k}
      END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; print t ":" s "  median " m}'
}
for cfg in "$@"; do
  IFS='|' read -r label _ <<< "$cfg"
  if [ -f "$OUT/$label.latency" ]; then
    median "$label p50" 2 "$OUT/$label.latency"
    median "$label p90" 4 "$OUT/$label.latency"
    median "$label p99" 6 "$OUT/$label.latency"
  else
    median "$label" 1 "$OUT/$label"
  fi
done
