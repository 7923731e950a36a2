#!/usr/bin/env bash
# Scale run: the sample book at 1x, 10x and 100x its length, built per
# edition by samizdat, and Typst setting the same text, in one run so that
# the machine's speed is the same for both. Prints wall time, CPU time and
# peak memory (GNU time), and the words per size.
#
# usage: bash scripts/scale.sh [FACTORS...]     (default: 1 10 100)
# needs: python3 (3.11+), GNU time (/usr/bin/time); Typst from `pip install typst` and pandoc
# (Debian's `pandoc`), each skipped if missing
set -euo pipefail
cd "$(dirname "$0")/.."
factors=("${@:-1 10 100}")
read -r -a factors <<< "${factors[*]}"
work=target/scale
mkdir -p "$work"
cargo build --release --quiet
bin=target/release/samizdat
have_typst=0
python3 -c 'import typst' 2>/dev/null && have_typst=1
have_pandoc=0
command -v pandoc >/dev/null && have_pandoc=1

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -o "$work/time.txt" -f '%e %U %S %M' "$@" >/dev/null 2>&1
  awk -v size="$size" -v label="$label" '{ printf "%-8s %-26s %8.2f s %8.2f s %9.0f MiB\n", size, label, $1, $2 + $3, $4 / 1024 }' "$work/time.txt"
}

printf '%-8s %-26s %10s %10s %13s\n' size what wall cpu "peak memory"
for n in "${factors[@]}"; do
  book=$work/book-${n}x
  python3 scripts/scale-book.py book "$book" "$n"
  words=$(cat "$book"/*.md "$book"/*/*.md | wc -w)
  size="${n}x"
  echo "# ${n}x: $words words"
  measure "samizdat all editions" "$bin" build -q "$book" --out "$book/out"
  for e in ereader pamphlet booklet large-print; do
    measure "samizdat $e" "$bin" build -q "$book" -e "$e" --out "$book/out"
  done
  measure "samizdat ereader+pamphlet" "$bin" build -q "$book" -e ereader -e pamphlet --out "$book/out"
  if [ "$have_typst" = 1 ]; then
    python3 scripts/book-to-typst.py "$book" "$book/book.typ"
    measure "typst (A5 PDF)" python3 -c "import typst, sys; typst.compile(sys.argv[1], output=sys.argv[2])" "$book/book.typ" "$book/typst.pdf"
  fi
  if [ "$have_pandoc" = 1 ]; then
    python3 scripts/book-to-pandoc.py "$book" "$book/pandoc.md"
    measure "pandoc (EPUB)" pandoc "$book/pandoc.md" -o "$book/pandoc.epub"
  fi
  pages=$(pdfinfo "$book/out/"*-pamphlet.pdf 2>/dev/null | awk '/^Pages/ {print $2}')
  echo "# ${n}x: pamphlet has ${pages:-?} pages"
done
