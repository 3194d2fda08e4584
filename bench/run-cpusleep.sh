#!/bin/sh
# Builds the bench jar and runs the cpu+sleep harness of issue 3, saving its output under
# bench/results/ (the Markdown table at its end goes into bench/README.md as it is).
#   bench/run-cpusleep.sh                         # the full run (about 5 min on 2 CPUs)
#   bench/run-cpusleep.sh --executors jwq-percpu,tpe-5ncpu --runs 5
# The JVM: $JAVA, else $JAVA_HOME/bin/java, else java on the PATH (JDK 21 or later).
set -eu
cd "$(dirname "$0")/.."
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
mvn -q -B -DskipTests package -pl bench -am
mkdir -p bench/results
out=bench/results/cpusleep-$(date -u +%Y%m%dT%H%MZ).txt
"$JAVA" -Xms1g -Xmx2g --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.jwq.bench.cpusleep.CpuSleepBenchmark "$@" | tee "$out"
echo "saved to $out"
