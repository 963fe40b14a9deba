"""split: cut documents into chunks of at most SPLIT__TOKEN_COUNT_MAX words.

Consecutive chunks of a section share SPLIT__OVERLAP words so that a sentence
cut in two is still found whole in one of them. Each chunk remembers its
document and the heading it falls under. Reads WURZEL_INPUT_PAGES (a
directory of markdown documents), writes WURZEL_OUTPUT_CHUNKS (JSON lines).
"""
import json
import os
import sys


def sections(text):
    """Yield (heading, words) for each markdown section of a document."""
    heading, words = "", []
    in_code = False
    for line in text.split("\n"):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if not in_code and line.startswith("#"):
            if words:
                yield heading, words
            heading, words = line.lstrip("#").strip(), []
            continue
        words.extend(line.split())
    if words:
        yield heading, words


def windows(words, size, overlap):
    step = max(1, size - overlap)
    start = 0
    while True:
        yield words[start:start + size]
        if start + size >= len(words):
            return
        start += step


def main():
    size = int(os.environ["SPLIT__TOKEN_COUNT_MAX"])
    overlap = int(os.environ.get("SPLIT__OVERLAP", "0"))
    if size <= 0 or overlap < 0 or overlap >= size:
        sys.exit("split: need 0 <= overlap < token_count_max, got %d and %d" % (overlap, size))
    pages = os.environ["WURZEL_INPUT_PAGES"]
    out = os.environ["WURZEL_OUTPUT_CHUNKS"]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    count = 0
    with open(out, "w", encoding="utf-8") as f:
        for name in sorted(os.listdir(pages)):
            with open(os.path.join(pages, name), encoding="utf-8") as doc:
                text = doc.read()
            for heading, words in sections(text):
                for part in windows(words, size, overlap):
                    chunk = {"id": "%s#%d" % (name, count), "doc": name, "heading": heading, "text": " ".join(part)}
                    f.write(json.dumps(chunk, sort_keys=True) + "\n")
                    count += 1
    print("split: %d chunks of at most %d words (overlap %d)" % (count, size, overlap))


main()
