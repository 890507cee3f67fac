#!/usr/bin/env bash
# Build benchmark: Gazette against Hugo on the same synthetic bulletin, plus the floor,
# memory, no-op and incremental figures. Speed targets are checked here, never in tests.
#
#   benches/build.sh [SIZES] [RUNS]     e.g. benches/build.sh "1000 10000 100000" 5
#
# Needs: python3, hugo (apt-get install hugo), /usr/bin/time (apt-get install time).
# Corpora come from ../shared/bench/gen_corpus.py (bulletin and hugo flavors carry the same
# articles). Output goes to a RAM disk (/dev/shm) when there is one, so the disk's noise
# does not decide the result; both tools write to the same place.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${1:-"1000 10000"}
RUNS=${2:-5}
# Hugo needs about 1.7 GB at 10,000 articles and grows with the archive; above this size
# it would not fit beside the corpora on a 24 GB machine, so only Gazette runs.
HUGO_MAX=${HUGO_MAX:-10000}
GEN=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
WORK=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm/gazette-bench || echo "${TMPDIR:-/tmp}/gazette-bench" )}
mkdir -p "$WORK"

cargo build --release --quiet --bin gazette --example floor --example incremental
GAZETTE=$PWD/target/release/gazette
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (apt-get install time)"; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
# Runs a command, prints "seconds peak_kb".
measure() { /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>&1; cat "$WORK/time.txt"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; hugo $(hugo version | awk '{print $2}'); output in $WORK"
for n in $SIZES; do
  corpus="$WORK/corpus-$n"
  [ -d "$corpus/bulletin" ] || python3 "$GEN" --articles "$n" --out "$corpus/bulletin" --flavor bulletin >/dev/null
  with_hugo=$([ "$n" -le "$HUGO_MAX" ] && echo yes || echo no)
  [ "$with_hugo" = no ] || [ -d "$corpus/hugo" ] || python3 "$GEN" --articles "$n" --out "$corpus/hugo" --flavor hugo >/dev/null
  echo
  echo "== $n articles"

  : > "$WORK/g.txt"; : > "$WORK/h.txt"
  # The comparison runs with search off: Hugo builds no search index.
  grep -q '^search:' "$corpus/bulletin/site.yaml" || echo "search: false" >> "$corpus/bulletin/site.yaml"
  for ((i = 1; i <= RUNS; i++)); do   # interleaved: A B A B …
    rm -rf "$WORK/out-g" "$WORK/out-h"
    measure "$GAZETTE" build --root "$corpus/bulletin" --output "$WORK/out-g" >> "$WORK/g.txt"
    [ "$with_hugo" = no ] || measure hugo --quiet --source "$corpus/hugo" --destination "$WORK/out-h" >> "$WORK/h.txt"
  done
  # Search on, once: Pagefind's index costs far more than the rest of the build, and
  # its memory grows with the archive (see README, Limits), so only up to 10,000.
  search_line="skipped above 10,000 articles"
  if [ "$n" -le 10000 ]; then
    sed -i 's/^search: false$/search: true/' "$corpus/bulletin/site.yaml"
    rm -rf "$WORK/out-gs"
    search_time=$(measure "$GAZETTE" build --root "$corpus/bulletin" --output "$WORK/out-gs")
    search_line="$(echo "$search_time" | awk '{printf "%.2f s, peak %.0f MB", $1, $2/1024}'); index $(du -sh "$WORK/out-gs/pagefind" | cut -f1), $(find "$WORK/out-gs/pagefind" -type f | wc -l) files"
    sed -i 's/^search: true$/search: false/' "$corpus/bulletin/site.yaml"
  fi

  [ "$with_hugo" = yes ] || echo "0 1" > "$WORK/h.txt"
  g=$(cut -d' ' -f1 "$WORK/g.txt" | median); h=$(cut -d' ' -f1 "$WORK/h.txt" | median)
  gm=$(cut -d' ' -f2 "$WORK/g.txt" | median); hm=$(cut -d' ' -f2 "$WORK/h.txt" | median)
  gfiles=$(find "$WORK/out-g" -type f | wc -l); hfiles=$( [ "$with_hugo" = yes ] && find "$WORK/out-h" -type f | wc -l || echo 0)
  floor=$(for ((i = 1; i <= RUNS; i++)); do ./target/release/examples/floor "$corpus/bulletin" | awk '{print $(NF-1)}'; done | median)

  # No-op rebuild: a build into the same folder with nothing changed since the last one.
  "$GAZETTE" build --root "$corpus/bulletin" --output "$WORK/out-g" 2>/dev/null
  noop=$(measure "$GAZETTE" build --root "$corpus/bulletin" --output "$WORK/out-g" | cut -d' ' -f1)
  noop_line=$("$GAZETTE" build --root "$corpus/bulletin" --output "$WORK/out-g" 2>&1 | tail -1)
  # A full re-render into the same folder (an article saved with the same bytes).
  first=$(find "$corpus/bulletin/content" -name '*.md' | sort | sed -n 1p); touch "$first"
  rerender_line=$("$GAZETTE" build --root "$corpus/bulletin" --output "$WORK/out-g" 2>&1 | tail -1)

  printf "gazette build (search off):    %8.3f s median, peak %6.0f MB, %s files\n" "$g" "$(echo "$gm/1024" | bc -l)" "$gfiles"
  printf "gazette build (search on):     %s\n" "$search_line"
  if [ "$with_hugo" = yes ]; then
    printf "hugo:                          %8.3f s median, peak %6.0f MB, %s files\n" "$h" "$(echo "$hm/1024" | bc -l)" "$hfiles"
    printf "ratio hugo/gazette:            %8.2f x faster\n" "$(echo "$h/$g" | bc -l)"
  else
    echo "hugo:                          not run above $HUGO_MAX articles (HUGO_MAX)"
  fi
  printf "floor (read + pulldown-cmark): %8.3f s; gazette/floor: %.2f x\n" "$floor" "$(echo "$g/$floor" | bc -l)"
  [ "$with_hugo" = no ] || printf "memory gazette/hugo:           %8.2f\n" "$(echo "$gm/$hm" | bc -l)"
  printf "no-op rebuild:                 %8.3f s (%s)\n" "$noop" "$noop_line"
  printf "unchanged re-render:           %s\n" "$rerender_line"
  "$PWD/target/release/examples/incremental" "$corpus/bulletin" 30 | sed 's/^/incremental: /'
  echo "$n $g $h $gm $hm $floor $noop" >> "$WORK/summary.txt"
done
