#!/usr/bin/env python3
"""Writes a samizdat book (book.toml + Markdown chapters) as one Markdown file
for pandoc, for measuring pandoc's EPUB writer beside samizdat on the same
text (scripts/scale.sh).

usage: book-to-pandoc.py BOOK_DIR OUT.md

The chapters are joined in the book's order under a YAML title block; part
titles become level-1 headings. Footnote labels are unique per file in a
samizdat book, so each file's labels get the file's number as a prefix.
"""
import pathlib
import re
import sys
import tomllib


def chapter(path: pathlib.Path, k: int) -> str:
    text = path.read_text()
    return re.sub(r"\[\^([^\]]+)\]", lambda m: f"[^f{k}-{m.group(1)}]", text)


def main() -> None:
    book, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    config = tomllib.loads((book / "book.toml").read_text())
    meta = config.get("book", {})
    contents = config["contents"]
    title = meta.get("title", "Untitled").replace('"', '\\"')
    parts = [f'---\ntitle: "{title}"\nlang: {meta.get("language", "en")}\n---']
    files = []
    for f in contents.get("front", []) + contents.get("chapters", []):
        files.append((None, f))
    for part in contents.get("parts", []):
        files.append((part["title"], part.get("intro")))
        files.extend((None, f) for f in part["chapters"])
    files.extend((None, f) for f in contents.get("back", []))
    for k, (part_title, f) in enumerate(files):
        if part_title is not None:
            parts.append(f"# {part_title}")
        if f:
            parts.append(chapter(book / f, k))
    out.write_text("\n\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
