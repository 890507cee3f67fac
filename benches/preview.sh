#!/usr/bin/env bash
# Preview benchmark: how soon `gazette serve` shows an edit, on large synthetic bulletins.
#
#   benches/preview.sh [SIZES] [EDITS]     e.g. benches/preview.sh "10000 100000" 30
#
# For each size: the one-article body edit through the incremental engine
# (examples/incremental.rs: Preview::apply, the work between the watcher's event and the
# reload message), then, for sizes up to 10,000, a real save through the real watcher and
# HTTP server, polled until the new text is served (examples/save_to_served.rs).
# Targets (issue 15): incremental p50 ≤ 20 ms at 10,000 and 100,000 articles; save → served
# p50 ≤ 100 ms at 10,000. Corpora come from ../shared/bench/gen_corpus.py; the 100,000 one
# takes a while to generate and about 8 GB to preview.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${1:-"10000"}
EDITS=${2:-30}
GEN=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
WORK=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm/gazette-bench || echo "${TMPDIR:-/tmp}/gazette-bench" )}
mkdir -p "$WORK"

cargo build --release --quiet --example incremental --example save_to_served
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; corpora in $WORK"
for n in $SIZES; do
  corpus="$WORK/corpus-$n/bulletin"
  [ -d "$corpus" ] || python3 "$GEN" --articles "$n" --out "$corpus" --flavor bulletin >/dev/null
  echo
  echo "== $n articles"
  ./target/release/examples/incremental "$corpus" "$EDITS" | sed 's/^/incremental: /'
  if [ "$n" -le 10000 ]; then
    ./target/release/examples/save_to_served "$corpus" "$EDITS" | tail -1 | sed 's/^/serve: /'
  fi
done
