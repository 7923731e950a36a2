#!/usr/bin/env python3
"""Makes an N-times longer copy of a samizdat book, for scale runs.

usage: scale-book.py SRC_BOOK_DIR DEST_DIR N

The whole book is repeated N times: copy k's files get a `-k` suffix, and
its front and back matter become the first and last chapters of its parts
(a book has one front matter). Explicit heading ids `{#id}` get the same
suffix so ids stay unique; note labels are per file already.
"""
import pathlib
import re
import shutil
import sys
import tomllib


def main() -> None:
    src, dest, n = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
    config = tomllib.loads((src / "book.toml").read_text())
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    contents = config["contents"]

    def copy(rel: str, k: int) -> str:
        text = (src / rel).read_text()
        if k == 0:
            out = rel
        else:
            text = re.sub(r"\{#([^}\s]+)\}", lambda m: "{#%s-%d}" % (m.group(1), k), text)
            stem = pathlib.PurePosixPath(rel)
            out = str(stem.with_name(f"{stem.stem}-{k}{stem.suffix}"))
        (dest / out).parent.mkdir(parents=True, exist_ok=True)
        (dest / out).write_text(text)
        return out

    lines = []
    for key in ("front", "chapters", "back"):
        files = [copy(f, 0) for f in contents.get(key, [])]
        lines.append(f"{key} = {files!r}".replace("'", '"'))
    parts = []
    for k in range(n):
        book_parts = contents.get("parts", [])
        for i, part in enumerate(book_parts):
            entry = [f"title = {part['title'] + (f' ({k + 1})' if k else '')!r}".replace("'", '"')]
            if "intro" in part:
                entry.append(f"intro = \"{copy(part['intro'], k)}\"")
            chapters = [copy(c, k) for c in part["chapters"]]
            if k and i == 0:
                chapters = [copy(c, k) for c in contents.get("front", [])] + chapters
            if k and i == len(book_parts) - 1:
                chapters += [copy(c, k) for c in contents.get("back", [])]
            entry.append(f"chapters = {chapters!r}".replace("'", '"'))
            parts.append("[[contents.parts]]\n" + "\n".join(entry))
    book_table = (src / "book.toml").read_text().split("[contents]")[0]
    editions = (src / "book.toml").read_text().split("[edition.", 1)
    tail = "[edition." + editions[1] if len(editions) > 1 else ""
    (dest / "book.toml").write_text(
        book_table + "[contents]\n" + "\n".join(lines) + "\n\n" + "\n\n".join(parts) + "\n\n" + tail
    )
    for extra in ("styles", "images"):
        if (src / extra).is_dir():
            shutil.copytree(src / extra, dest / extra)


if __name__ == "__main__":
    main()
