# Pick the model with the lowest test error. Both inputs gather every
# instance of a step: a directory with one entry per instance, named by its
# key.
import json
import os

scores_dir = os.environ["WURZEL_INPUT_SCORES"]
models_dir = os.environ["WURZEL_INPUT_MODELS"]
scores = {}
for key in sorted(os.listdir(scores_dir)):
    with open(os.path.join(scores_dir, key), encoding="utf-8") as f:
        scores[key] = json.load(f)["mse"]
best = min(sorted(scores), key=lambda k: scores[k])
with open(os.path.join(models_dir, best), encoding="utf-8") as f:
    model = json.load(f)
model["mse"] = scores[best]

out = os.environ["WURZEL_OUTPUT_BEST"]
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w", encoding="utf-8") as f:
    json.dump(model, f, indent=1)
for key in sorted(scores, key=lambda k: scores[k]):
    print("%-10s mse %.4f%s" % (key, scores[key], "  <- best" if key == best else ""))
