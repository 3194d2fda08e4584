#!/bin/bash
# c2cpu.sh N "label|agentjar|flags" ...: perf samples (999 Hz) of the JIT threads in the demo's child, and its throughput
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; CP="/work/main/samples/target/classes:$(cat /tmp/samples-cp.txt)"
N=$1; shift
for i in $(seq 1 $N); do for cfg in "$@"; do IFS='|' read -r label jar flags <<< "$cfg"; A=""; [ "$jar" != - ] && A="-javaagent:$jar";
r=$(perf record -F 999 -o /tmp/s30prof/c2cpu.data -- $J -Xmx256m -XX:+UseG1GC $A $flags -Dsprawl.executors=jdk -cp "$CP" dev.jwq.samples.sprawl.SprawlApp --warmup ${WARM:-3000} --requests 12000 2>&1 | grep -o 'reqPerSec=[0-9]*' | cut -d= -f2)
s=$(perf report -i /tmp/s30prof/c2cpu.data --sort comm --stdio -g none -n 2>/dev/null | awk '/Samples:/ {t=$3} /C2 Comp/ {c2=$2} /C1 Comp/ {c1=$2} END {print t, c2, c1}')
echo "$label $r $s" | tee -a ${OUT:-/tmp/c2cpu.txt}; done; done
