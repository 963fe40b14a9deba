"""embed: a toy embedding for every chunk, cached in a volume.

The "model" hashes each word into one of EMBED__DIM buckets with a sign
(feature hashing) and normalises the vector: no network, no dependencies, and
similar texts get similar vectors. Vectors are cached by model, dimension
and text in the volume WURZEL_VOLUME_EMBED_CACHE, so a re-run after a small
corpus change embeds only the new chunks. Reads WURZEL_INPUT_CHUNKS, writes
WURZEL_OUTPUT_VECTORS (JSON lines).
"""
import hashlib
import json
import math
import os
import re
import sys

WORD = re.compile(r"[a-z0-9]+")


def model_name(argv):
    # python3 -c SOURCE --model NAME gives sys.argv == ["-c", "--model", NAME].
    for i, arg in enumerate(argv):
        if arg == "--model" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--model="):
            return arg.split("=", 1)[1]
    return "toy-hash-embedding"


def embed(text, dim):
    vec = [0.0] * dim
    for word in WORD.findall(text.lower()):
        h = hashlib.sha256(word.encode()).digest()
        bucket = int.from_bytes(h[:4], "big") % dim
        vec[bucket] += 1.0 if h[4] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [round(v / norm, 6) for v in vec]


def main():
    dim = int(os.environ["EMBED__DIM"])
    if dim <= 0:
        sys.exit("embed: dim must be positive, got %d" % dim)
    model = model_name(sys.argv)
    cache_dir = os.environ.get("WURZEL_VOLUME_EMBED_CACHE") or os.environ.get("EMBED_CACHE")
    if cache_dir:
        cache_dir = os.path.join(cache_dir, "%s-%d" % (model, dim))
        os.makedirs(cache_dir, exist_ok=True)
    src = os.environ["WURZEL_INPUT_CHUNKS"]
    out = os.environ["WURZEL_OUTPUT_VECTORS"]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    hits = misses = 0
    with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
        for line in f:
            chunk = json.loads(line)
            key = hashlib.sha256(chunk["text"].encode()).hexdigest()
            cached = os.path.join(cache_dir, key + ".json") if cache_dir else None
            if cached and os.path.exists(cached):
                with open(cached, encoding="utf-8") as c:
                    vec = json.load(c)
                hits += 1
            else:
                vec = embed(chunk["text"], dim)
                misses += 1
                if cached:
                    tmp = cached + ".tmp"
                    with open(tmp, "w", encoding="utf-8") as c:
                        json.dump(vec, c)
                    os.replace(tmp, cached)  # never leave a half-written cache entry
            chunk["vector"] = vec
            chunk["model"] = model
            w.write(json.dumps(chunk, sort_keys=True) + "\n")
    print("embed: %d chunks with %s (dim %d): %d from cache, %d computed" % (hits + misses, model, dim, hits, misses))


main()
