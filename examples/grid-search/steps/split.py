# Split the points into a training and a test set: every SPLIT__TEST_EVERY-th
# point is held out for testing.
import csv
import os

src = os.environ["WURZEL_INPUT_POINTS"]
every = int(os.environ["SPLIT__TEST_EVERY"])
rows = []
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
        rows += [(r["x"], r["y"]) for r in csv.DictReader(f)]
parts = {
    "TRAIN": [r for i, r in enumerate(rows) if i % every],
    "TEST": [r for i, r in enumerate(rows) if not i % every],
}
for name, part in parts.items():
    out = os.environ["WURZEL_OUTPUT_" + name]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["x", "y"])
        w.writerows(part)
print("split: %d training and %d test points" % (len(parts["TRAIN"]), len(parts["TEST"])))
