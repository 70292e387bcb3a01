#!/usr/bin/env bash
# Times `site --out` against `export --out` on the same generated catalog
# (release build; every run shown, then the best of RUNS), and reports the
# index page's gzip size. `site` is timed twice over: into a new folder each
# run (a fresh build, as CI does it) and over the site it wrote before (a
# rebuild, where unchanged pages are left alone).
#
#   bench/site.sh            # 10,000 entries
#   N=1000 RUNS=5 bench/site.sh
#
# On ext4, creating files within about 30 seconds of deleting many (this
# script's own clean-up, or `rm -rf` of a site) is several times slower:
# the inode allocator skips recently deleted inodes one by one (`perf`
# shows the time in the kernel's recently_deleted()). Leave a minute
# between two runs of this script, and rebuild a site over itself rather
# than deleting it first.
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

# Runs "$@" RUNS times ({} in an argument becomes the run's number), prints
# each run's wall and CPU seconds to stderr, and the best wall time and its
# CPU time to stdout.
best() {
  local best_wall="" best_cpu="" label=$1
  shift
  for i in $(seq "$RUNS"); do
    local args=() wall user sys cpu
    for a in "$@"; do args+=("${a//\{\}/$i}"); done
    /usr/bin/time -o "$work/time" -f "%e %U %S" "${args[@]}" >/dev/null 2>&1
    read -r wall user sys <<<"$(tail -1 "$work/time")"
    cpu=$(echo "$user + $sys" | bc)
    echo "  $label run $i: ${wall}s wall, ${cpu}s CPU" >&2
    if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc)" = 1 ]; then
      best_wall=$wall best_cpu=$cpu
    fi
  done
  echo "$best_wall $best_cpu"
}

read -r ew ec <<<"$(best export "$bin" --catalog "$work/catalog" export --out "$work/export.json")"
read -r fw fc <<<"$(best "site (new folder)" "$bin" --catalog "$work/catalog" site --out "$work/site-{}")"
read -r rw rc <<<"$(best "site (rebuild)" "$bin" --catalog "$work/catalog" site --out "$work/site-1")"
echo "entries: $N"
echo "export --out:              ${ew}s wall, ${ec}s CPU"
echo "site --out (new folder):   ${fw}s wall, ${fc}s CPU ($(find "$work/site-1" -type f | wc -l) files)"
echo "site --out (rebuild):      ${rw}s wall, ${rc}s CPU"
echo "ratio (wall), new folder:  $(echo "scale=2; $fw / $ew" | bc)"
echo "ratio (wall), rebuild:     $(echo "scale=2; $rw / $ew" | bc)"
gz() { gzip -9 <"$work/site-1/$1" | wc -c; }
echo "index page gzip: $(($(gz index.html) + $(gz assets/site.js) + $(gz assets/site.css))) bytes (index.html, site.js, site.css); data/tools.js $(gz data/tools.js) bytes"
