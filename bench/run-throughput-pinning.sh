#!/bin/sh
# Issue 3's re-run of the throughput benchmark: every executor side by side, with jwq's workers
# pinned (jwq.pin=true, the default) and unpinned (-Djwq.pin=false), interleaved over ROUNDS
# rounds so that a drifting machine hits both alike. About 3 min per configuration and round.
#   ROUNDS=2 bench/run-throughput-pinning.sh
# Results: bench/results/throughput-pinning/{pinned,unpinned}-<round>.json; tables:
#   python3 bench/results-table.py bench/results/throughput-pinning/pinned-*.json
set -eu
cd "$(dirname "$0")/.."
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
ROUNDS=${ROUNDS:-2}
mvn -q -B -DskipTests package -pl bench -am
OPTS="ThroughputBenchmark -f 1 -wi 5 -w 1 -i 5 -r 1"
# -jvmArgsAppend replaces the benchmark's own @Fork(jvmArgsAppend): both configurations repeat them.
FORK="-Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED"
out=bench/results/throughput-pinning
mkdir -p "$out"
for round in $(seq 1 "$ROUNDS"); do
  "$JAVA" -jar bench/target/benchmarks.jar $OPTS -jvmArgsAppend "$FORK" -rf json -rff "$out/pinned-$round.json"
  "$JAVA" -jar bench/target/benchmarks.jar $OPTS -jvmArgsAppend "$FORK -Djwq.pin=false" -rf json -rff "$out/unpinned-$round.json"
done
echo "pinned:"; python3 bench/results-table.py "$out"/pinned-*.json
echo "unpinned:"; python3 bench/results-table.py "$out"/unpinned-*.json
