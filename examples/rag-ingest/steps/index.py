"""index: build the search index and sign it with the index token.

Reads WURZEL_INPUT_VECTORS (JSON lines of embedded chunks) and the key file
"token" of the secret mounted at WURZEL_SECRET_INDEX_TOKEN_DIR, writes
WURZEL_OUTPUT_INDEX: one JSON document with the chunks, their vectors, the
vocabulary of every document and an HMAC-SHA256 signature of all that. The
token itself is never printed or written.
"""
import hashlib
import hmac
import json
import os
import re

WORD = re.compile(r"[a-z0-9]+")


def main():
    token_dir = os.environ["WURZEL_SECRET_INDEX_TOKEN_DIR"]
    with open(os.path.join(token_dir, "token"), "rb") as f:
        token = f.read().strip()
    chunks = []
    with open(os.environ["WURZEL_INPUT_VECTORS"], encoding="utf-8") as f:
        for line in f:
            chunks.append(json.loads(line))
    chunks.sort(key=lambda c: c["id"])
    terms = {}
    for c in chunks:
        for word in set(WORD.findall(c["text"].lower())):
            terms.setdefault(word, []).append(c["id"])
    body = {
        "model": chunks[0]["model"] if chunks else "",
        "dim": len(chunks[0]["vector"]) if chunks else 0,
        "chunks": [{k: c[k] for k in ("id", "doc", "heading", "text", "vector")} for c in chunks],
        "terms": {w: ids for w, ids in sorted(terms.items())},
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    index = {
        "version": 1,
        "index": body,
        "signature": {
            "algorithm": "hmac-sha256",
            "key_id": hashlib.sha256(token).hexdigest()[:12],
            "value": hmac.new(token, canonical, hashlib.sha256).hexdigest(),
        },
    }
    out = os.environ["WURZEL_OUTPUT_INDEX"]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(index, f, sort_keys=True, indent=1)
        f.write("\n")
    print("index: %d chunks, %d terms, signed" % (len(chunks), len(terms)))


main()
