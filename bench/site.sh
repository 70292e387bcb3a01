#!/usr/bin/env bash
# Times `site --out` against `export --out` on the same generated catalog
# (release build, best of RUNS), and reports the index page's gzip size.
#
#   bench/site.sh            # 10,000 entries
#   N=1000 RUNS=5 bench/site.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
RUNS=${RUNS:-3}
cargo build --release --locked --quiet
bin=target/release/alliance-catalog
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/generate.py "$N" "$work/catalog"
export ALLIANCE_CATALOG_TODAY=2026-11-25

best() { # best wall time in seconds of RUNS runs of "$@", then its CPU time
  local best_wall="" best_cpu=""
  for _ in $(seq "$RUNS"); do
    local t wall user sys cpu
    /usr/bin/time -o "$work/time" -f "%e %U %S" "$@" >/dev/null 2>&1
    t=$(tail -1 "$work/time")
    read -r wall user sys <<<"$t"
    cpu=$(echo "$user + $sys" | bc)
    if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc)" = 1 ]; then
      best_wall=$wall best_cpu=$cpu
    fi
  done
  echo "$best_wall $best_cpu"
}

read -r ew ec <<<"$(best "$bin" --catalog "$work/catalog" export --out "$work/export.json")"
rm -rf "$work/site"
read -r sw sc <<<"$(best "$bin" --catalog "$work/catalog" site --out "$work/site")"
echo "entries: $N"
echo "export --out: ${ew}s wall, ${ec}s CPU"
echo "site --out:   ${sw}s wall, ${sc}s CPU ($(find "$work/site" -type f | wc -l) files)"
echo "ratio (wall): $(echo "scale=2; $sw / $ew" | bc)"
echo "index page gzip: $(cat "$work/site/index.html" | gzip -9 | wc -c) bytes + assets $(cat "$work/site/assets/"* | gzip -9 | wc -c) bytes"
