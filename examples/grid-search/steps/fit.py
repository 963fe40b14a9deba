# Fit one polynomial of the grid to the training points by ridge regression
# (the normal equations, solved by Gaussian elimination). Every instance of
# the step runs this program; its settings say which model it fits.
import csv
import json
import os

key = os.environ["WURZEL_EACH_KEY"]
degree = int(os.environ["FIT__DEGREE"])
ridge = float(os.environ["FIT__RIDGE"])
with open(os.environ["WURZEL_INPUT_TRAIN"], newline="", encoding="utf-8") as f:
    points = [(float(r["x"]), float(r["y"])) for r in csv.DictReader(f)]

n = degree + 1
# [A^T A + ridge I | A^T y], the intercept not penalised.
rows = [
    [sum(x ** (i + j) for x, _ in points) + (ridge if i == j and i > 0 else 0.0) for j in range(n)]
    + [sum(y * x ** i for x, y in points)]
    for i in range(n)
]
for col in range(n):
    pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
    rows[col], rows[pivot] = rows[pivot], rows[col]
    for r in range(n):
        if r != col:
            factor = rows[r][col] / rows[col][col]
            rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
coefficients = [rows[i][n] / rows[i][i] for i in range(n)]

out = os.environ["WURZEL_OUTPUT_MODEL"]
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w", encoding="utf-8") as f:
    json.dump({"key": key, "degree": degree, "ridge": ridge, "coefficients": coefficients}, f, indent=1)
print("fit %s: %s" % (key, " ".join("%.3f" % c for c in coefficients)))
