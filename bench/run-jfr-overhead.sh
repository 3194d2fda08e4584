#!/bin/sh
# Issue 4's overhead run: ThroughputBenchmark on the jwq executors with no recording, with a
# recording using jwq.jfc (per-item events sampled), and with every jwq event on; and, when
# BASE_JAR names a benchmarks.jar built from a runtime without tracepoints, that build too.
#   BASE_JAR=/tmp/base/bench/target/benchmarks.jar bench/run-jfr-overhead.sh
# Results: bench/results/jfr-overhead-<config>.json; table: python3 bench/results-table.py FILES...
set -eu
cd "$(dirname "$0")/.."
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
mvn -q -B -DskipTests package -pl bench -am
JFC=$(pwd)/runtime/src/main/resources/dev/jwq/jwq.jfc
OPTS="ThroughputBenchmark -p executor=jwq-percpu,jwq-unbound -wi 3 -i 5 -f 1"
mkdir -p bench/results
if [ -n "${BASE_JAR:-}" ]; then
  "$JAVA" -jar "$BASE_JAR" $OPTS -rf json -rff bench/results/jfr-overhead-no-events-build.json
fi
"$JAVA" -jar bench/target/benchmarks.jar $OPTS -rf json -rff bench/results/jfr-overhead-no-recording.json
"$JAVA" -jar bench/target/benchmarks.jar $OPTS \
  -jvmArgsAppend "-XX:StartFlightRecording:settings=default,settings=$JFC,filename=/tmp/jwq-jfc.jfr" \
  -rf json -rff bench/results/jfr-overhead-jwq-jfc.json
"$JAVA" -jar bench/target/benchmarks.jar $OPTS \
  -jvmArgsAppend "-XX:StartFlightRecording:settings=default,settings=$JFC,jwq-items=all,filename=/tmp/jwq-all.jfr" \
  -rf json -rff bench/results/jfr-overhead-all-events.json
