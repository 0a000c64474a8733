#!/usr/bin/env python3
"""readability-lxml (Debian's python3-readability) on a folder of HTML pages, for bench/extract.sh.

Writes one JSON Lines document per page ({"id": page id, "text": extracted body}) so that
samestory's own scorer (`samestory extract --score`) scores both extractors the same way, and
prints the bytes of HTML and the seconds spent inside readability (parse, summary, text), so the
interpreter's start-up is not charged to it.
"""
import json
import os
import sys
import time

import lxml.html
from readability import Document


def main():
    pages_dir, out_path = sys.argv[1], sys.argv[2]
    total_bytes = 0
    seconds = 0.0
    with open(out_path, "w", encoding="utf-8") as out:
        for name in sorted(os.listdir(pages_dir)):
            if not name.endswith(".html"):
                continue
            with open(os.path.join(pages_dir, name), "rb") as f:
                raw = f.read()
            total_bytes += len(raw)
            start = time.perf_counter()
            summary = Document(raw).summary(html_partial=True)
            text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
            seconds += time.perf_counter() - start
            out.write(json.dumps({"id": name[: -len(".html")], "text": text or " ", "date": None}) + "\n")
    print(f"{total_bytes} {seconds:.4f}")


if __name__ == "__main__":
    main()
