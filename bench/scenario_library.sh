#!/usr/bin/env bash
# Every scenario of the library (scenarios/*.yaml, then scenarios/papers/*.yaml), run as written, one after the
# other, then the total. A measurement, not a test: the README's "Performance" section quotes it.
#
#   bench/scenario_library.sh [run options...]              # one command, one JVM: priorflow run FILE FILE ...
#   bench/scenario_library.sh --separate [run options...]   # one priorflow run (one JVM) per scenario
#
# The first form prints the table priorflow run prints for several files (each scenario's seconds, its report
# included) and the command's wall time, JVM start included. The second prints each scenario's wall seconds (JVM
# start included) and run time as priorflow prints it. Run directories go to a temporary directory that is removed
# at the end; a scenario that fails is reported as such and the rest still run. The build happens first, outside
# the measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
separate=0
if [ "${1:-}" = --separate ]; then separate=1; shift; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./priorflow --version >/dev/null # build first, outside the measurement
files=(scenarios/*.yaml scenarios/papers/*.yaml)
if [ "$separate" = 0 ]; then
  start=$(date +%s.%N)
  set +e
  ./priorflow run "${files[@]}" --out "$work/runs" "$@" >"$work/log" 2>"$work/err"
  status=$?
  set -e
  wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  # the table after the last run's report: "N scenarios: ..." and one row per scenario
  sed -n '/^[0-9]* scenarios: /,$p' "$work/log"
  printf 'wall time of the command, JVM start included: %s s (load average now: %s)\n' "$wall" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  [ "$status" -eq 0 ] || { tail -20 "$work/err" >&2; echo "priorflow run exited with $status" >&2; exit 1; }
  exit 0
fi
total=0
failed=0
printf '%-44s %8s %8s %s\n' scenario wall_s run_s status
for f in "${files[@]}"; do
  name=${f#scenarios/}
  out="$work/${name//\//-}"
  start=$(date +%s.%N)
  set +e
  ./priorflow run "$f" --out "$out" "$@" >"$out.log" 2>&1
  status=$?
  set -e
  wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  run=$(grep -o 'run directory: .* (\([0-9.]*\) s)' "$out.log" | sed 's/.*(\([0-9.]*\) s).*/\1/' | tail -1)
  [ "$status" -ne 0 ] && failed=$((failed + 1))
  printf '%-44s %8.1f %8s %s\n' "$name" "$wall" "${run:--}" "$([ "$status" -eq 0 ] && echo ok || echo "exit $status")"
  total=$(awk -v a="$total" -v b="$wall" 'BEGIN { printf "%.1f", a + b }')
  rm -rf "$out"
done
printf '%-44s %8.1f\n' "total (load average now: $(cut -d' ' -f1-3 /proc/loadavg))" "$total"
[ "$failed" -eq 0 ] || { echo "$failed scenarios failed" >&2; exit 1; }
