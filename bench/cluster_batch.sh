#!/usr/bin/env bash
# A batch on 1 and on 2 worker nodes, each worker pinned to a core of its own with taskset, the director on the
# cores given (it only dispatches); prints runs per minute side by side, alternating the two setups so that load
# from elsewhere falls on both alike. A measurement, not a test: the README's "Cluster" section quotes it.
#
#   bench/cluster_batch.sh [ROUNDS] [-- run options...]
#   bench/cluster_batch.sh 2 -- scenarios/tiny.yaml --replicates 4
#
# Defaults: 2 rounds of scenarios/tiny.yaml --replicates 4. Worker i runs on core i (taskset -c i); the director on
# PF_BENCH_DIRECTOR_CORES (default: every core). Everything listens on 127.0.0.1 with a cluster name of its own.
# Each setup's nodes first run the batch once untimed (PF_BENCH_WARMUP=0 to time fresh nodes instead).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
shift || true
[ "${1:-}" = "--" ] && shift
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(scenarios/tiny.yaml --replicates 4)
director_cores=${PF_BENCH_DIRECTOR_CORES:-0-$(( $(nproc) - 1 ))}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
./priorflow --version >/dev/null # build first, outside the measurement

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# one batch on $1 worker nodes; prints its wall seconds and runs. With warm-up (the default), the nodes first run
# the same batch untimed, so the timed batch measures nodes whose JIT has compiled the kernels, as in a long sweep;
# PF_BENCH_WARMUP=0 times fresh nodes (each node JVM then pays its own compilation inside the measurement).
batch() {
  local n=$1 cluster="bench-$$-$RANDOM" pids=() first="" port
  for ((i = 0; i < n; i++)); do
    port=$(free_port)
    [ -z "$first" ] && first="127.0.0.1:$port"
    taskset -c "$i" ./priorflow node --cluster "$cluster" --port "$port" --members "$first" --threads 1 \
      >"$work/node-$n-$i.log" 2>&1 &
    pids+=($!)
    until grep -q "waiting for a director" "$work/node-$n-$i.log"; do sleep 0.2; done
  done
  if [ "${PF_BENCH_WARMUP:-1}" != 0 ]; then
    taskset -c "$director_cores" ./priorflow run "${args[@]}" --out "$work/warm-$n-$RANDOM" --cluster "$cluster" \
      --members "$first" --parallel "$n" >"$work/warm-$n.log" 2>&1
  fi
  local out="$work/run-$n-$RANDOM" t0 t1
  t0=$(date +%s.%N)
  taskset -c "$director_cores" ./priorflow run "${args[@]}" --out "$out" --cluster "$cluster" --members "$first" \
    --parallel "$n" >"$out.log" 2>&1
  t1=$(date +%s.%N)
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  runs=$(($(wc -l <"$out/runs.csv") - 1))
  echo "$t0 $t1 $runs" | awk '{printf "%.1f %d\n", $2 - $1, $3}'
  cp "$out/metrics.csv" "$work/metrics-$n.csv"
}

printf '%-8s %-10s %-10s %-12s\n' round nodes seconds runs/minute
for ((r = 1; r <= rounds; r++)); do
  for n in 1 2; do
    read -r s runs < <(batch "$n")
    printf '%-8s %-10s %-10s %-12s\n' "$r" "$n" "$s" "$(awk -v s="$s" -v r="$runs" 'BEGIN{printf "%.2f", 60 * r / s}')"
  done
done
if cmp -s "$work/metrics-1.csv" "$work/metrics-2.csv"; then
  echo "metrics.csv: identical on 1 and 2 nodes"
else
  keep=$(mktemp -d -t cluster-batch-differs.XXXXXX)
  cp -r "$work"/. "$keep"/ 2>/dev/null || true
  echo "metrics.csv DIFFERS between 1 and 2 nodes (runs, logs and both files kept in $keep)" >&2
  diff <(cut -c1-200 "$work/metrics-1.csv") <(cut -c1-200 "$work/metrics-2.csv") | head -5 >&2 || true
  exit 1
fi
