#!/usr/bin/env python3
"""Writes a samizdat book (book.toml + Markdown chapters) as one Typst file,
for measuring Typst beside samizdat on the same text (scripts/scale.sh).

usage: book-to-typst.py BOOK_DIR OUT.typ

Only what the sample book uses is converted: headings, paragraphs, block
quotes, emphasis, strong, footnotes and part titles. The page is the
pamphlet's: A5, 11 pt Libertinus Serif, 15 mm side margins, justified.
"""
import pathlib
import re
import sys
import tomllib

PREAMBLE = """#set page(paper: "a5", margin: (x: 15mm, top: 18mm, bottom: 22mm), numbering: "1")
#set text(font: "Libertinus Serif", size: 11pt, lang: "en")
#set par(justify: true, first-line-indent: 11pt, spacing: 0.65em)
#show heading.where(level: 1): it => { pagebreak(weak: true); v(2em); text(size: 16pt, it.body); v(1em) }
"""


def escape(text: str) -> str:
    return re.sub(r"([#$@<>\\[\]\\\\`*_~=/'\"])", r"\\\1", text)


def inline(text: str, notes: dict) -> str:
    out = escape(text)
    out = re.sub(r"\\\*\\\*(.+?)\\\*\\\*", r"*\1*", out)
    out = re.sub(r"\\\*(.+?)\\\*", r"_\1_", out)
    out = re.sub(r"\\_(.+?)\\_", r"_\1_", out)
    return re.sub(r"\\\[\^([^\]\\]+)\\\]", lambda m: "#footnote[" + notes.get(m.group(1), "") + "]", out)


def chapter(path: pathlib.Path) -> str:
    text = path.read_text()
    raw_notes = dict(re.findall(r"^\[\^([^\]]+)\]:\s*(.*)$", text, flags=re.M))
    text = re.sub(r"^\[\^([^\]]+)\]:.*$", "", text, flags=re.M)
    notes = {k: inline(v, {}) for k, v in raw_notes.items()}
    out = []
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if not block:
            continue
        if block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            title = re.sub(r"\s*\{#[^}]*\}\s*$", "", block.lstrip("#").strip())
            out.append("=" * level + " " + inline(title, notes))
        elif block.startswith(">"):
            body = " ".join(line.lstrip("> ").strip() for line in block.splitlines())
            out.append("#quote(block: true)[" + inline(body, notes) + "]")
        else:
            out.append(inline(" ".join(block.splitlines()), notes))
    return "\n\n".join(out)


def main() -> None:
    book, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    config = tomllib.loads((book / "book.toml").read_text())
    contents = config["contents"]
    parts = [PREAMBLE]
    for f in contents.get("front", []) + contents.get("chapters", []):
        parts.append(chapter(book / f))
    for part in contents.get("parts", []):
        parts.append("#pagebreak()\n#align(center + horizon)[#text(size: 18pt)[" + escape(part["title"]) + "]]")
        if "intro" in part:
            parts.append(chapter(book / part["intro"]))
        for f in part["chapters"]:
            parts.append(chapter(book / f))
    for f in contents.get("back", []):
        parts.append(chapter(book / f))
    out.write_text("\n\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
