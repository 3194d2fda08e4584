#!/bin/sh
# Builds the bench jar and runs the cpu+sleep harness of issue 3, saving its output under
# bench/results/ (the Markdown table at its end goes into bench/README.md as it is).
#   bench/run-cpusleep.sh                         # the full run (about 5 min on 2 CPUs)
#   bench/run-cpusleep.sh --executors jwq-percpu,tpe-5ncpu --runs 5
#   bench/run-cpusleep.sh --agent --runs 2        # the same under -javaagent:jwq-agent.jar: its
#       hooks tell concurrency management about the plain Thread.sleep of "jwq-percpu" (the
#       harness's own executors are not rewritten: the agent leaves dev.jwq.* alone)
# The JVM: $JAVA, else $JAVA_HOME/bin/java, else java on the PATH (JDK 21 or later).
set -eu
cd "$(dirname "$0")/.."
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
agent=""
modules=bench
if [ "${1:-}" = "--agent" ]; then
    shift
    agent="-javaagent:agent/target/jwq-agent.jar"
    modules=bench,agent
fi
mvn -q -B -DskipTests package -pl "$modules" -am
mkdir -p bench/results
out=bench/results/cpusleep-$(date -u +%Y%m%dT%H%MZ)${agent:+-agent}.txt
[ -z "$agent" ] || echo "# under $agent" | tee "$out.head"
"$JAVA" $agent -Xms1g -Xmx2g --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.jwq.bench.cpusleep.CpuSleepBenchmark "$@" | tee "$out"
if [ -f "$out.head" ]; then cat "$out.head" "$out" > "$out.tmp" && mv "$out.tmp" "$out" && rm "$out.head"; fi
echo "saved to $out"
