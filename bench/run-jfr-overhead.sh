#!/bin/sh
# Issue 4's overhead run: ThroughputBenchmark (chained and external1, jwq executors) in six
# configurations, interleaved over ROUNDS rounds so that a drifting machine hits them all alike:
#   no-events      a build whose tracepoints are compiled away (RecordingGate.open() is the
#                  constant false: a scratch worktree of HEAD, patched), no recording
#   no-recording   this build, no recording
#   jwq-jfc        a recording with jwq.jfc alone (jwq's events, per-item ones sampled)
#   default        a recording with the JDK's default.jfc alone (the JVM's own events)
#   default+jwq    both settings files, as docs/observability.md recommends
#   all-events     default + jwq.jfc with jwq-items=all (every item's events)
#   ROUNDS=3 bench/run-jfr-overhead.sh        # about 5 min per round on 2 CPUs
# Results: bench/results/jfr-overhead/<config>-<round>.json; the table:
#   python3 bench/jfr-overhead-table.py bench/results/jfr-overhead
set -eu
cd "$(dirname "$0")/.."
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
ROUNDS=${ROUNDS:-3}
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
OPTS="ThroughputBenchmark.(chained|external1) -p executor=jwq-percpu,jwq-unbound -f 1 -wi 5 -w 1 -i 5 -r 1"
out=bench/results/jfr-overhead
mkdir -p "$out"
for round in $(seq 1 "$ROUNDS"); do
  "$JAVA" -jar "$base/bench/target/benchmarks.jar" $OPTS -rf json -rff "$out/no-events-$round.json"
  "$JAVA" -jar bench/target/benchmarks.jar $OPTS -rf json -rff "$out/no-recording-$round.json"
  "$JAVA" -jar bench/target/benchmarks.jar $OPTS -jvmArgsAppend \
    "-XX:StartFlightRecording:settings=$JFC,filename=/tmp/jwq-ovh-jfc.jfr" -rf json -rff "$out/jwq-jfc-$round.json"
  "$JAVA" -jar bench/target/benchmarks.jar $OPTS -jvmArgsAppend \
    "-XX:StartFlightRecording:settings=default,filename=/tmp/jwq-ovh-default.jfr" -rf json -rff "$out/default-$round.json"
  "$JAVA" -jar bench/target/benchmarks.jar $OPTS -jvmArgsAppend \
    "-XX:StartFlightRecording:settings=default,settings=$JFC,filename=/tmp/jwq-ovh-both.jfr" -rf json -rff "$out/default+jwq-$round.json"
  "$JAVA" -jar bench/target/benchmarks.jar $OPTS -jvmArgsAppend \
    "-XX:StartFlightRecording:settings=default,settings=$JFC,jwq-items=all,filename=/tmp/jwq-ovh-all.jfr" \
    -rf json -rff "$out/all-events-$round.json"
done
python3 bench/jfr-overhead-table.py "$out"
