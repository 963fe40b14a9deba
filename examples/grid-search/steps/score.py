# Score the model of the same key on the test points: the mean squared error.
import csv
import json
import os

with open(os.environ["WURZEL_INPUT_MODEL"], encoding="utf-8") as f:
    model = json.load(f)
with open(os.environ["WURZEL_INPUT_TEST"], newline="", encoding="utf-8") as f:
    points = [(float(r["x"]), float(r["y"])) for r in csv.DictReader(f)]


def predict(x):
    return sum(c * x ** i for i, c in enumerate(model["coefficients"]))


mse = sum((predict(x) - y) ** 2 for x, y in points) / len(points)
out = os.environ["WURZEL_OUTPUT_SCORE"]
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w", encoding="utf-8") as f:
    json.dump({"key": model["key"], "mse": mse}, f)
print("score %s: mse %.4f" % (model["key"], mse))
