# Announce the winner. A real pipeline would publish the model or notify
# someone here: an effect outside the step's outputs, so the step has
# always_run = true and runs on every run.
import json
import os

with open(os.environ["WURZEL_INPUT_BEST"], encoding="utf-8") as f:
    best = json.load(f)
terms = " + ".join("%.3f*x^%d" % (c, i) for i, c in enumerate(best["coefficients"]))
print("best model %s (test mse %.4f): y = %s" % (best["key"], best["mse"], terms))
