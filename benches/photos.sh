#!/usr/bin/env bash
# Photo benchmark: N camera photos (4000×3000, ~5 MB, with EXIF) as article covers, made
# into WebP at 480/960/1600 px plus a 1200-px JPEG, by Gazette and by Hugo, interleaved.
#
#   benches/photos.sh [N] [RUNS]      defaults: 200 photos, 3 runs
#
# cold:  no cache (Gazette's .gazette-cache/, Hugo's resources/_gen/) and no output.
# warm:  cache kept, output removed, so every page and photo is published again.
# text:  the same articles without photos, warm: "warm" minus "text" is what photos add.
# noop:  a second build into an up-to-date output.
# Hugo does the same resizes with the same filter (Lanczos) and qualities; Hugo 0.111 does
# not apply EXIF orientation (its auto-orient filter came later), so its job is a little
# smaller. Needs python3 with Pillow (pip install pillow), hugo (apt-get install hugo),
# /usr/bin/time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-200}
RUNS=${2:-3}
GEN=${GEN_PHOTOS:-../shared/bench/gen_photos.py}
WORK=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm/gazette-photos || echo "${TMPDIR:-/tmp}/gazette-photos" )}
mkdir -p "$WORK"
if [ -z "${GAZETTE:-}" ]; then
  cargo build --release --quiet --bin gazette
  GAZETTE=$PWD/target/release/gazette
fi
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (apt-get install time)"; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
measure() { /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>&1; cat "$WORK/time.txt"; }

photos="$WORK/photos-$N"
[ -f "$photos/photo-$(printf %04d "$N").jpg" ] || python3 "$GEN" --count "$N" --out "$photos" ${PHOTO_SIZE:-}

# The same N articles for both tools, each a bundle with its photo as the cover.
make_sites() {
  local g="$WORK/gazette" t="$WORK/text" h="$WORK/hugo"
  rm -rf "$g" "$t" "$h"
  for site in "$g" "$t"; do
    mkdir -p "$site/content"
    printf 'title: 图片测试\nbase_url: https://news.example.org/\nsearch: false\nsections:\n  - {key: community, name: 社区}\n' > "$site/site.yaml"
  done
  mkdir -p "$h/content/posts" "$h/layouts/_default"
  printf 'baseURL = "https://news.example.org/"\ntitle = "photos"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n[imaging]\nresampleFilter = "Lanczos"\nquality = 72\n' > "$h/config.toml"
  cat > "$h/layouts/_default/single.html" <<'HTML'
{{ $p := .Resources.GetMatch "photo.jpg" }}<h1>{{ .Title }}</h1>
{{ range slice 480 960 1600 }}{{ $r := $p.Resize (printf "%dx webp q72" .) }}<img src="{{ $r.RelPermalink }}" width="{{ $r.Width }}">{{ end }}
{{ $c := $p.Resize "1200x jpg q80" }}<img src="{{ $c.RelPermalink }}">
HTML
  echo '<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>' > "$h/layouts/_default/list.html"
  for ((i = 1; i <= N; i++)); do
    local name; name=$(printf %04d "$i")
    local front="title: 第${i}张照片\nreporter: 记者\ndate: 2022-08-02\nsection: community"
    mkdir -p "$g/content/p$name" "$t/content/p$name" "$h/content/posts/p$name"
    printf -- "---\n$front\nimage: photo.jpg\nimage_caption: 第${i}张\n---\n正文。\n" > "$g/content/p$name/index.md"
    printf -- "---\n$front\n---\n正文。\n" > "$t/content/p$name/index.md"
    printf -- "---\ntitle: 第${i}张照片\ndate: 2022-08-02\n---\n正文。\n" > "$h/content/posts/p$name/index.md"
    ln -f "$photos/photo-$name.jpg" "$g/content/p$name/photo.jpg" 2>/dev/null || cp "$photos/photo-$name.jpg" "$g/content/p$name/photo.jpg"
    ln -f "$photos/photo-$name.jpg" "$h/content/posts/p$name/photo.jpg" 2>/dev/null || cp "$photos/photo-$name.jpg" "$h/content/posts/p$name/photo.jpg"
  done
}
make_sites
echo "machine: $(nproc) cores; hugo $(hugo version | awk '{print $2}'); $N photos, $(du -sh "$photos" | cut -f1); work in $WORK"

: > "$WORK/gc.txt"; : > "$WORK/hc.txt"; : > "$WORK/gw.txt"; : > "$WORK/hw.txt"; : > "$WORK/tw.txt"
for ((i = 1; i <= RUNS; i++)); do   # interleaved: Gazette, Hugo, Gazette, Hugo …
  rm -rf "$WORK/gazette/.gazette-cache" "$WORK/out-g"
  measure "$GAZETTE" build --root "$WORK/gazette" --output "$WORK/out-g" >> "$WORK/gc.txt"
  rm -rf "$WORK/hugo/resources" "$WORK/out-h"
  measure hugo --quiet --source "$WORK/hugo" --destination "$WORK/out-h" >> "$WORK/hc.txt"
done
for ((i = 1; i <= RUNS; i++)); do
  rm -rf "$WORK/out-g" "$WORK/out-t" "$WORK/out-h"
  measure "$GAZETTE" build --root "$WORK/gazette" --output "$WORK/out-g" >> "$WORK/gw.txt"
  measure "$GAZETTE" build --root "$WORK/text" --output "$WORK/out-t" >> "$WORK/tw.txt"
  measure hugo --quiet --source "$WORK/hugo" --destination "$WORK/out-h" >> "$WORK/hw.txt"
done
noop=$(measure "$GAZETTE" build --root "$WORK/gazette" --output "$WORK/out-g" | awk '{print $1}')
noop_written=$("$GAZETTE" build --root "$WORK/gazette" --output "$WORK/out-g" 2>&1 | grep -o '([0-9]* files written' | tr -dc 0-9)

gc=$(awk '{print $1}' "$WORK/gc.txt" | median); hc=$(awk '{print $1}' "$WORK/hc.txt" | median)
gw=$(awk '{print $1}' "$WORK/gw.txt" | median); hw=$(awk '{print $1}' "$WORK/hw.txt" | median)
tw=$(awk '{print $1}' "$WORK/tw.txt" | median)
gmem=$(awk '{print $2}' "$WORK/gc.txt" | median); hmem=$(awk '{print $2}' "$WORK/hc.txt" | median)
echo
echo "medians of $RUNS runs, seconds (peak memory):"
printf "cold   gazette %6.2f (%4.0f MB)   hugo %6.2f (%4.0f MB)   hugo/gazette %.2fx\n" "$gc" "$(echo "$gmem/1024" | bc -l)" "$hc" "$(echo "$hmem/1024" | bc -l)" "$(echo "$hc/$gc" | bc -l)"
printf "warm   gazette %6.2f   same site without photos %6.2f   photos add %.2f   hugo %6.2f\n" "$gw" "$tw" "$(echo "$gw-$tw" | bc -l)" "$hw"
printf "no-op  gazette %6.2f, %s files written\n" "$noop" "$noop_written"
echo "published: gazette $(du -sh "$WORK/out-g" | cut -f1) ($(find "$WORK/out-g" -name '*.webp' | wc -l) webp, $(find "$WORK/out-g" -name '*.jpg' | wc -l) jpg); hugo $(du -sh "$WORK/out-h" | cut -f1)"
