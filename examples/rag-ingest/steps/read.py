"""read: collect the markdown documents of the corpus.

Runs as `python3 -c <this file>` under wurzel's runner, so everything comes
from the environment: WURZEL_INPUT_CORPUS is the corpus directory (fetched by
the runner from the step's `source`), WURZEL_OUTPUT_PAGES the directory to
fill with one normalised markdown document per source file.
"""
import os
import sys


def normalise(text):
    # Unix line endings, no trailing spaces, exactly one final newline: the
    # same document always gives the same bytes, so later steps stay cached.
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def main():
    corpus = os.environ["WURZEL_INPUT_CORPUS"]
    out = os.environ["WURZEL_OUTPUT_PAGES"]
    os.makedirs(out, exist_ok=True)
    count = 0
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            src = os.path.join(root, name)
            rel = os.path.relpath(src, corpus)
            # Flatten sub-directories into the file name: a/b.md -> a--b.md.
            dst = os.path.join(out, rel.replace(os.sep, "--"))
            with open(src, encoding="utf-8") as f:
                text = normalise(f.read())
            with open(dst, "w", encoding="utf-8") as f:
                f.write(text)
            count += 1
    if count == 0:
        sys.exit("read: no markdown documents in " + corpus)
    print("read: %d documents" % count)


main()
