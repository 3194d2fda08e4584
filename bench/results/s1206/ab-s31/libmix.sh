#!/bin/bash
# Run from the repository root after mvn -B -q package -pl agent -am -DskipTests.
# libmix.sh N "label|agentjar or -|flags" ... : LibraryMix children interleaved, key figures per run
J=${JAVA:-java}; CP="agent/target/test-classes:$(cat agent/target/test-classpath.txt)"
N=$1; shift
for i in $(seq 1 $N); do for cfg in "$@"; do IFS='|' read -r label jar flags <<< "$cfg"; A=""; [ "$jar" != - ] && A="-javaagent:$jar";
t0=$(date +%s%N); r=$($J $A $flags -cp "$CP" org.example.bench.LibraryMix 1 2>/dev/null | grep -E '^(work-ms|rss-peak-kb|threads-peak) ' | tr '\n' ' '); t1=$(date +%s%N);
echo "$label $r wall-ms $(( (t1-t0)/1000000 ))" >> ${OUT:-libmix.txt}; done; done
python3 - ${OUT:-libmix.txt} <<'PY'
import sys,collections,statistics
d=collections.defaultdict(lambda: collections.defaultdict(list))
for l in open(sys.argv[1]):
    p=l.split(); lab=p[0]
    for k,v in zip(p[1::2],p[2::2]): d[lab][k].append(int(v))
for lab,m in d.items(): print(lab,'n',len(m['wall-ms']),' '.join('%s=%s %s'%(k,statistics.median(v),sorted(v)) for k,v in m.items()))
PY
