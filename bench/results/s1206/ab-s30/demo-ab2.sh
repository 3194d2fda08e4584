#!/bin/bash
# demo-ab2.sh N "label|agentjar or -|extra flags" ...
# Run from the repository root after: mvn -q -B dependency:build-classpath -pl samples -Dmdep.outputFile=$PWD/samples-cp.txt (JAVA: a JDK 25 java)
J=${JAVA:-java}; CP="samples/target/classes:$(cat samples-cp.txt)"
N=$1; shift
for i in $(seq 1 $N); do for cfg in "$@"; do IFS='|' read -r label jar flags <<< "$cfg"; A=""; [ "$jar" != - ] && A="-javaagent:$jar";
r=$($J -Xmx256m -XX:+UseG1GC $A $flags -Dsprawl.executors=jdk -cp "$CP" dev.jwq.samples.sprawl.SprawlApp --warmup ${WARM:-3000} --requests 12000 2>&1 | grep -o 'reqPerSec=[0-9]*' | cut -d= -f2); echo "$label $r" >> ${OUT:-demo-ab.txt}; echo -n "$label $r  "; done; echo; done
python3 - ${OUT:-demo-ab.txt} <<'PY'
import sys,collections,statistics
d=collections.defaultdict(list)
for l in open(sys.argv[1]):
    p=l.split()
    if len(p)==2: d[p[0]].append(int(p[1]))
for k,v in d.items(): print(k,'median',statistics.median(v),'n',len(v),sorted(v))
PY
