#!/usr/bin/env bash
# Search benchmark: Gazette's built-in index (parts, in parallel, reused while unchanged)
# against Pagefind's own command line on the same output, in one run: time, peak memory,
# index size and what a reader's first query downloads; cold, and warm after editing one
# story and after adding one. Targets are checked here, never in tests.
#
#   benches/search.sh [SIZES]      e.g. benches/search.sh "1000 10000 30000"
#
# Needs: python3, /usr/bin/time (apt-get install time), npm (Pagefind's command line comes
# from the npm package `pagefind`, installed into target/pagefind-cli), and Chromium with
# chromedriver for the first-query figure (.ci/install installs them). The preview's peak
# memory and how soon its index reflects a save come from benches/serve_search.py.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${1:-"1000 10000 30000"}
# Pagefind's command line needs about 1 GB per 1,000 Chinese articles (9.8 GB at 10,000):
# above this size it would not fit on a 24 GB machine, so only Gazette runs.
PAGEFIND_MAX=${PAGEFIND_MAX:-10000}
GEN=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
WORK=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm/gazette-search-bench || echo "${TMPDIR:-/tmp}/gazette-search-bench" )}
mkdir -p "$WORK"

cargo build --release --quiet --bin gazette --example search_cost
# English messages, which the figures below are read from.
export GAZETTE_LANG=en
GAZETTE=$PWD/target/release/gazette
COST=$PWD/target/release/examples/search_cost
BENCHES=$PWD/benches
PAGEFIND=$PWD/target/pagefind-cli/node_modules/@pagefind/linux-x64/bin/pagefind_extended
[ -x "$PAGEFIND" ] || npm install --silent --prefix target/pagefind-cli pagefind@1.6.0 >/dev/null
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (apt-get install time)"; exit 1; }

# Runs a command, prints "seconds peak_MB".
measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>&1 || { cat "$WORK/out.txt"; exit 1; }
  awk '{printf "%.2f s, %.0f MB", $1, $2 / 1024}' "$WORK/time.txt"
}
size_of() { du -sb "$1" | awk '{printf "%.1f MB", $1 / 1e6}'; }
# Bytes the server sent for a first search, from examples/search_cost.rs.
first_query() {
  "$COST" "$1" "$2" 2>/dev/null | awk '/bytes sent/ {printf "%.0f KB", $6 / 1000} /first search/ {match($0, /"ms_from_query":[0-9]+/); if (RSTART) ms = substr($0, RSTART + 16, RLENGTH - 16); match($0, /"ms_to_results":[0-9]+/); if (RSTART) page = substr($0, RSTART + 16, RLENGTH - 16)} END {if (ms) printf " (results %s ms after the query, %s ms after the page was asked for)", ms, page}'
}

# Pages rendered (the others kept from the live site) and parts of the index made again.
pages_and_parts() {
  grep -o '[0-9]* rendered, [0-9]* kept' "$WORK/out.txt" | tr '\n' ' '
  grep -o '([0-9]* indexed' "$WORK/out.txt" | tr -d '('
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; $("$PAGEFIND" --version); output in $WORK"
for n in $SIZES; do
  site="$WORK/site-$n"
  rm -rf "$site"
  python3 "$GEN" --articles "$n" --out "$site" --flavor bulletin >/dev/null
  echo
  echo "== $n articles"
  cd "$site"
  echo "gazette build, cold:          $(measure "$GAZETTE" build); index $(size_of public/pagefind); $(grep -o '[0-9]* parts' "$WORK/out.txt")"
  for q in 加装电梯 社区; do echo "  first query $q: $(first_query "$site/public" "$q")"; done
  echo "  the same, every story (older=1): $(first_query "$site/public" "社区&older=1")"
  story=$(find content -name '*.md' | sort | sed -n "$((n / 2))p")
  for k in 1 2 3; do
    sed -i 's/^title: \(.*\)$/title: \1（更新）/' "$story"
    echo "gazette build, one edited:    $(measure "$GAZETTE" build --timings); $(pages_and_parts)"
  done
  printf -- '---\ntitle: 新建社区图书馆开放\nreporter: 林春源\ndate: 2030-01-01\nsection: culture\n---\n\n社区图书馆今天开放，居民可以借阅图书。\n' >content/new-story.md
  echo "gazette build, one added:     $(measure "$GAZETTE" build --future --timings); $(pages_and_parts)"
  if [ "$n" -le 30000 ]; then
    echo "gazette serve:                $(python3 "$BENCHES/serve_search.py" "$site" "$GAZETTE" "$story")"
  fi
  if [ "$n" -le "$PAGEFIND_MAX" ]; then
    # The same pages, built without Gazette's index, then indexed by Pagefind's command
    # line: article pages only (the ones under a year folder), as Gazette indexes.
    printf 'search: false\n' >>site.yaml
    "$GAZETTE" build --output "$WORK/plain-$n" >/dev/null 2>&1
    echo "pagefind_extended, cold:      $(measure "$PAGEFIND" --site "$WORK/plain-$n" --glob '20*/**/*.html'); index $(size_of "$WORK/plain-$n/pagefind")"
    # The search page of a site without search has no script: take Gazette's, and tell it
    # the index is one part, with nothing to merge.
    cp public/search/index.html "$WORK/plain-$n/search/index.html"
    echo '{"recent": [], "older": [], "older_stories": 0}' >"$WORK/plain-$n/pagefind/parts.json"
    for q in 加装电梯 社区; do echo "  first query $q: $(first_query "$WORK/plain-$n" "$q")"; done
    rm -rf "$WORK/plain-$n"
  fi
  cd - >/dev/null
  rm -rf "$site"
done
