#!/usr/bin/env bash
# Runs one scenario of the speed suite (issues 11 and 12) with every executor side by side,
# interleaved over rounds, then prints the table (bench/table.py). One scenario takes up to
# about 10 minutes on 2 CPUs.
#
#   bench/run.sh bursts      # 1,000,000 tiny tasks from 1 and from 2 threads     (BurstBenchmark)
#   bench/run.sh chains      # 100 chains x 1,000 steps queued from inside       (ChainBenchmark)
#   bench/run.sh latency     # submit-to-start p50/p99/p99.9 at 10k/s and 100k/s (LatencyBenchmark)
#   bench/run.sh blocking    # 10,000 x (1 ms CPU + 4 ms sleep) from 1 and ncpu threads (cpu+sleep harness)
#   bench/run.sh mixed       # a single-thread executor's bursts next to a busy pool  (MixedBenchmark)
#   bench/run.sh sockets     # 4 and 16 tasks x 250 one-byte round trips to a loopback echo server (SocketBenchmark)
#   bench/run.sh lifecycle   # an executor made, given one task, closed               (LifecycleBenchmark)
#
# Each round runs every executor once, in one fork (JMH) or one JVM per group (harness); the
# order is reversed every other round, so a neighbour's burst on this shared machine falls on
# all of them alike. Groups of JVMs:
#   main     no agent: every executor but the rewritten ThreadPoolExecutor
#   agent    -javaagent:agent/target/jwq-agent.jar=include=benchapp.AppPools: the rewritten pool,
#            and a plain ThreadPoolExecutor (tpe@agent) as its same-JVM reference
#   VARIANTS the jwq executors again, in JVMs with other flags (see below)
#
# Environment (all optional):
#   ROUNDS=N           rounds (default 2; chains 3)
#   EXECUTORS="a b"    a subset of the scenario's executors (a tpe-rewritten* among them runs in
#                      the agent group); default: all of them
#   JMH_OPTS="..."     per fork (default "-wi 3 -w 1 -i 5 -r 1"; latency "-wi 8 -w 1 -i 3 -r 2":
#                      at 10k/s three warm-up seconds are 30,000 items, too few for the JIT to be
#                      done with jwq's paths, see bench/README.md); BENCHMARKS=regex narrows the
#                      JMH methods, e.g. BENCHMARKS=BurstBenchmark.oneSubmitter
#   HARNESS_OPTS="..." blocking only (default "--warmups 2 --warmup-items 10000 --runs 1": the
#                      first two 10,000-item runs of a JVM are its warm-up, see bench/README.md)
#   JVM_FLAGS="..."    extra flags for every JVM, e.g. "-Djwq.blockingSampler=false"
#   VARIANTS="name:flags;name2:flags"  e.g. "unpinned:-Djwq.pin=false;platform:-Djwq.workers=platform"
#   JAVA=...           the JVM (default $JAVA_HOME/bin/java, else java on the PATH; JDK 25)
#   NAME=...           results directory prefix (default: the scenario)
#   SKIP_BUILD=1       use the jars as they are
# Results: bench/results/<NAME>-<UTC time>/ with one JMH JSON (or harness JSON lines) per fork,
# their logs, machine.txt (commit, uptime before and after) and table.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-}
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
if [ "$scenario" = latency ]; then
  JMH_OPTS=${JMH_OPTS:--wi 8 -w 1 -i 3 -r 2}
else
  JMH_OPTS=${JMH_OPTS:--wi 3 -w 1 -i 5 -r 1}
fi
HARNESS_OPTS=${HARNESS_OPTS:---warmups 2 --warmup-items 10000 --runs 1}
JVM_FLAGS=${JVM_FLAGS:-}
VARIANTS=${VARIANTS:-}
ROUNDS_DEFAULT=2
case $scenario in
  bursts)   bench=BurstBenchmark ;;
  chains)   bench=ChainBenchmark; ROUNDS_DEFAULT=3 ;;
  latency)  bench=LatencyBenchmark ;;
  mixed)    bench=MixedBenchmark ;;
  sockets)  bench=SocketBenchmark ;;
  lifecycle) bench=LifecycleBenchmark ;;
  blocking) bench="" ;;
  *) sed -n '2,36p' "$0" >&2; exit 2 ;;
esac
ROUNDS=${ROUNDS:-$ROUNDS_DEFAULT}
BENCHMARKS=${BENCHMARKS:-$bench}
if [ "$scenario" = mixed ]; then # each with the busy pool of its family (MixedBenchmark.backgroundOf)
  all="jwq-ordered twin-single tpe-rewritten-single single"
  plain_ref=single
elif [ -n "$bench" ]; then
  all="jwq-unbound jwq-percpu jwq-ordered twin-fixed twin-single twin-cached tpe-rewritten tpe fjp single cached virtual"
  plain_ref=tpe
else
  all="jwq-unbound jwq-percpu jwq-unbound-blocking jwq-percpu-blocking twin-fixed-5ncpu twin-cached tpe-rewritten-5ncpu tpe-5ncpu cached fjp-managed virtual"
  plain_ref=tpe-5ncpu
fi
EXECUTORS=${EXECUTORS:-$all}

[ -n "${SKIP_BUILD:-}" ] || mvn -q -B -DskipTests package -pl bench,agent -am
AGENT=$(pwd)/agent/target/jwq-agent.jar
JAR=bench/target/benchmarks.jar
[ -f "$AGENT" ] && [ -f "$JAR" ] || { echo "missing $AGENT or $JAR: build first" >&2; exit 1; }

out=bench/results/${NAME:-$scenario}-$(date -u +%Y%m%dT%H%MZ)
mkdir -p "$out"
{
  echo "scenario: $scenario"
  echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- runtime agent bench 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "rounds: $ROUNDS; JMH_OPTS: $JMH_OPTS; HARNESS_OPTS: $HARNESS_OPTS; JVM_FLAGS: $JVM_FLAGS; VARIANTS: $VARIANTS"
  echo "nproc: $(nproc)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "uptime before: $(uptime)"
} > "$out/machine.txt"
cat "$out/machine.txt"

# Groups: "name|jvm flags|executors".
groups=()
main="" agent="" jwq=""
for e in $EXECUTORS; do
  case $e in
    tpe-rewritten*) agent="$e $plain_ref" ;;
    *) main="$main $e" ;;
  esac
  case $e in jwq-*|twin-*) jwq="$jwq $e" ;; esac
done
[ -z "$main" ] || groups+=("main||$main")
[ -z "$agent" ] || groups+=("agent|-javaagent:$AGENT=include=benchapp.AppPools|$agent")
IFS=';' read -ra variants <<< "$VARIANTS"
for v in "${variants[@]}"; do
  [ -n "$v" ] || continue
  [ -n "$jwq" ] || { echo "VARIANTS need jwq executors in EXECUTORS" >&2; exit 2; }
  groups+=("${v%%:*}|${v#*:}|$jwq")
done

reverse() { local w r=""; for w in "$@"; do r="$w $r"; done; echo $r; }

# One round's jobs: "group|flags|executor" (JMH: one fork each) or "group|flags|e1,e2,..." (harness).
jobs_of_round() {
  local g name flags execs
  for g in "${groups[@]}"; do
    IFS='|' read -r name flags execs <<< "$g"
    if [ -n "$bench" ]; then
      for e in $execs; do echo "$name|$flags|$e"; done
    else # the harness runs a group's executors in turn: reverse them every other round too
      [ $(( $1 % 2 )) -eq 1 ] || execs=$(reverse $execs)
      echo "$name|$flags|$(echo $execs | tr ' ' ',')"
    fi
  done
}

failures=0
for round in $(seq 1 "$ROUNDS"); do
  mapfile -t jobs < <(jobs_of_round "$round")
  [ $(( round % 2 )) -eq 1 ] || mapfile -t jobs < <(printf '%s\n' "${jobs[@]}" | tac)
  for job in "${jobs[@]}"; do
    IFS='|' read -r name flags execs <<< "$job"
    tag=$name.${execs//,/+}.r$round
    [ -n "$bench" ] || tag=$name.r$round
    echo "$(date -u +%H:%M:%S) round $round/$ROUNDS: $name: $execs"
    if [ -n "$bench" ]; then
      fork="-Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED $JVM_FLAGS $flags"
      [ "$scenario" != latency ] || fork="$fork -Djwq.bench.latencyOut=$out/$tag.latency.jsonl"
      # shellcheck disable=SC2086
      if ! "$JAVA" -jar "$JAR" "$BENCHMARKS" -p executor="$execs" -f 1 $JMH_OPTS -foe true \
          -jvmArgsAppend "$fork" -rf json -rff "$out/$tag.json" > "$out/$tag.log" 2>&1; then
        echo "FAILED: $tag (see $out/$tag.log)" | tee -a "$out/failures.txt"; failures=$((failures + 1))
      fi
    else
      # shellcheck disable=SC2086
      if ! "$JAVA" -Xms1g -Xmx2g --enable-native-access=ALL-UNNAMED $JVM_FLAGS $flags -cp "$JAR" \
          dev.jwq.bench.cpusleep.CpuSleepBenchmark --executors "$execs" $HARNESS_OPTS \
          --json "$out/$tag.jsonl" > "$out/$tag.log" 2>&1; then
        echo "FAILED: $tag (see $out/$tag.log)" | tee -a "$out/failures.txt"; failures=$((failures + 1))
      fi
    fi
  done
done
echo "uptime after: $(uptime)" | tee -a "$out/machine.txt"
python3 bench/table.py "$out" | tee "$out/table.md"
echo "saved to $out"
[ "$failures" -eq 0 ] || { echo "$failures fork(s) failed: $out/failures.txt" >&2; exit 1; }
