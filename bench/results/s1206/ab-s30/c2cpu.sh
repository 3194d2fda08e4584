#!/bin/bash
# c2cpu.sh N "label|agentjar|flags" ...: perf samples (999 Hz) of the JIT threads in the demo's child, and its throughput
# Run from the repository root after: mvn -q -B dependency:build-classpath -pl samples -Dmdep.outputFile=$PWD/samples-cp.txt (JAVA: a JDK 25 java)
J=${JAVA:-java}; CP="samples/target/classes:$(cat samples-cp.txt)"
N=$1; shift
for i in $(seq 1 $N); do for cfg in "$@"; do IFS='|' read -r label jar flags <<< "$cfg"; A=""; [ "$jar" != - ] && A="-javaagent:$jar";
r=$(perf record -F 999 -o c2cpu.data -- $J -Xmx256m -XX:+UseG1GC $A $flags -Dsprawl.executors=jdk -cp "$CP" dev.jwq.samples.sprawl.SprawlApp --warmup ${WARM:-3000} --requests 12000 2>&1 | grep -o 'reqPerSec=[0-9]*' | cut -d= -f2)
s=$(perf report -i c2cpu.data --sort comm --stdio -g none -n 2>/dev/null | awk '/Samples:/ {t=$3} /C2 Comp/ {c2=$2} /C1 Comp/ {c1=$2} END {print t, c2, c1}')
echo "$label $r $s" | tee -a ${OUT:-c2cpu.txt}; done; done
