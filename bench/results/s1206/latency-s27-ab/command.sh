#!/bin/bash
# steady-state latency A/B: WI=8, 3 forks each, both rates
cd "$(dirname "$0")/../../../.."
J=${JAVA:-java}; B=bench/target/benchmarks.jar; AO="--add-opens java.base/java.lang=ALL-UNNAMED"
for rate in 10000 100000; do
  OUT=$(mktemp -d) WI=8 PARAMS="-p rate=$rate" JAVA=$J bench/alternate.sh 3 LatencyBenchmark \
    "unbound-v|$B|jwq-unbound|$AO" "percpu-v|$B|jwq-percpu|$AO" "twinfixed-v|$B|twin-fixed|$AO" \
    "unbound-p|$B|jwq-unbound|" "percpu-p|$B|jwq-percpu|" "twinfixed-p|$B|twin-fixed|" "fjp|$B|fjp|" "tpe|$B|tpe|"
done
