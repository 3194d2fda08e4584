#!/bin/bash
# ab3.sh N "label|agentjar or -|flags" ... : SprawlApp children interleaved; keeps each SPRAWL-RESULT line
J=${JAVA:-java}; CP="samples/target/classes:$(cat samples-cp.txt)"
N=$1; shift
for i in $(seq 1 $N); do for cfg in "$@"; do IFS='|' read -r label jar flags <<< "$cfg"; A=""; [ "$jar" != - ] && A="-javaagent:$jar";
r=$($J -Xmx256m -XX:+UseG1GC $A $flags -Dsprawl.executors=jdk -cp "$CP" dev.jwq.samples.sprawl.SprawlApp --warmup ${WARM:-3000} --requests 12000 2>&1 | grep SPRAWL-RESULT); echo "$label $r" >> ${OUT:-ab3.txt}; done; done
python3 - ${OUT:-ab3.txt} <<'PY'
import sys,collections,statistics,re
d=collections.defaultdict(lambda: collections.defaultdict(list))
for l in open(sys.argv[1]):
    p=l.split(None,1)
    if len(p)<2: continue
    for k,v in re.findall(r'(\w+)=(\d+)', p[1]): d[p[0]][k].append(int(v))
for lab,m in d.items():
    print(lab, 'n', len(m['reqPerSec']), ' '.join('%s=%s'%(k,statistics.median(m[k])) for k in ['reqPerSec','cpuUsPerReq','jitCpuMs','osThreads','hwmKb','allocBytesPerReq','p50us','p99us']))
PY
