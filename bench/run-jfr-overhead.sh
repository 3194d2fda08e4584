#!/bin/sh
# Issue 4's overhead run: BurstBenchmark.oneSubmitter and ChainBenchmark.chains (jwq executors;
# until 2026-12 ThroughputBenchmark's external1 and chained, ncpu chains of 500,000) in six
# configurations, interleaved over ROUNDS rounds so that a drifting machine hits them all alike:
#   no-events      a build whose tracepoints are compiled away (RecordingGate.open() is the
#                  constant false: a scratch worktree of HEAD, patched), no recording
#   no-recording   this build, no recording
#   jwq-jfc        a recording with jwq.jfc alone (jwq's events, per-item ones sampled)
#   default        a recording with the JDK's default.jfc alone (the JVM's own events)
#   default+jwq    both settings files, as docs/observability.md recommends
#   all-events     default + jwq.jfc with jwq-items=all (every item's events)
#   empty          a recording whose settings file names no event (bench/src/main/resources/no-events.jfc):
#                  every event keeps its built-in default, jwq's included (WorkExecution on,
#                  one item in 1024; statistics on), so it measures those defaults (not in the default set)
#   ROUNDS=3 bench/run-jfr-overhead.sh        # about 5 min per round on 2 CPUs
#   ROUNDS=3 CONFIGS="no-recording empty jwq-jfc" OUT=bench/results/jfr-overhead-empty bench/run-jfr-overhead.sh
# Results: bench/results/jfr-overhead/<config>-<round>.json; the table:
#   python3 bench/jfr-overhead-table.py bench/results/jfr-overhead
set -eu
cd "$(dirname "$0")/.."
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
ROUNDS=${ROUNDS:-3}
CONFIGS=${CONFIGS:-no-events no-recording jwq-jfc default default+jwq all-events}
mvn -q -B -DskipTests package -pl bench -am
base=$(mktemp -d /tmp/jwq-noevents.XXXXXX)
git worktree add -q --detach "$base" HEAD
trap 'git worktree remove --force "$base"' EXIT
gate="$base/runtime/src/main/java/dev/jwq/jfr/RecordingGate.java"
# The one read every tracepoint starts with becomes a constant: the JIT drops every event path.
perl -0pi -e 's/(static boolean open\(\) \{)\s*return open;/$1 return false;/' "$gate"
grep -q 'static boolean open() { return false;' "$gate" || { echo "could not patch $gate" >&2; exit 1; }
(cd "$base" && mvn -q -B -o -DskipTests package -pl bench -am)
JFC=$(pwd)/runtime/src/main/resources/dev/jwq/jwq.jfc
OPTS="(BurstBenchmark.oneSubmitter|ChainBenchmark.chains) -p executor=jwq-percpu,jwq-unbound -f 1 -wi 5 -w 1 -i 5 -r 1"
# -jvmArgsAppend replaces the benchmark's own @Fork(jvmArgsAppend): every configuration repeats them.
FORK="-Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED"
out=${OUT:-bench/results/jfr-overhead}
mkdir -p "$out"
EMPTY=$(pwd)/bench/src/main/resources/no-events.jfc
run() { # config-name jar extra-jvm-args
  "$JAVA" -jar "$2" $OPTS -jvmArgsAppend "$FORK $3" -rf json -rff "$out/$1-$round.json"
}
for round in $(seq 1 "$ROUNDS"); do
  for config in $CONFIGS; do
    case $config in
      no-events)    run no-events "$base/bench/target/benchmarks.jar" "" ;;
      no-recording) run no-recording bench/target/benchmarks.jar "" ;;
      empty)        run empty bench/target/benchmarks.jar "-XX:StartFlightRecording:settings=$EMPTY,filename=/tmp/jwq-ovh-empty.jfr" ;;
      jwq-jfc)      run jwq-jfc bench/target/benchmarks.jar "-XX:StartFlightRecording:settings=$JFC,filename=/tmp/jwq-ovh-jfc.jfr" ;;
      default)      run default bench/target/benchmarks.jar "-XX:StartFlightRecording:settings=default,filename=/tmp/jwq-ovh-default.jfr" ;;
      default+jwq)  run default+jwq bench/target/benchmarks.jar "-XX:StartFlightRecording:settings=default,settings=$JFC,filename=/tmp/jwq-ovh-both.jfr" ;;
      all-events)   run all-events bench/target/benchmarks.jar "-XX:StartFlightRecording:settings=default,settings=$JFC,jwq-items=all,filename=/tmp/jwq-ovh-all.jfr" ;;
      *) echo "unknown configuration $config" >&2; exit 2 ;;
    esac
  done
done
python3 bench/jfr-overhead-table.py "$out"
