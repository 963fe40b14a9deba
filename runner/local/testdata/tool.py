# A step program for the executor's tests, run as `python3 -c <this file>
# ARGS`. It logs start and end markers with nanosecond clocks (--log FILE),
# can create a file (--touch PATH), wait for one (--wait-for PATH, after
# writing "PARTIAL" to its outputs), or fail (--fail; --fail-once FILE fails
# when FILE does not exist yet, creating it). Each output gets the
# step name followed by the content of every input, by input name, so the
# final outputs show exactly which data flowed where.
import os
import sys
import time

args = sys.argv[1:]
step = os.environ["WURZEL_STEP"]


def opt(name):
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a == name]


def log(event):
    for path in opt("--log"):
        with open(path, "a") as f:
            f.write("%s %s %d\n" % (step, event, time.time_ns()))


def read(path):
    if os.path.isdir(path):
        return "".join(read(os.path.join(path, n)) for n in sorted(os.listdir(path)))
    with open(path) as f:
        return f.read()


def write_outputs(data):
    for key in sorted(os.environ):
        if key.startswith("WURZEL_OUTPUT_"):
            path = os.environ[key]
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(data)


log("start")
for path in opt("--touch"):
    open(path, "a").close()
if opt("--wait-for"):
    write_outputs("PARTIAL\n")
for path in opt("--wait-for"):
    deadline = time.time() + 60
    while not os.path.exists(path):
        if time.time() > deadline:
            sys.exit("timed out waiting for " + path)
        time.sleep(0.01)
for path in opt("--fail-once"):
    if not os.path.exists(path):
        open(path, "a").close()
        log("end")
        sys.exit("failing once on purpose")
inputs = sorted(k for k in os.environ if k.startswith("WURZEL_INPUT_"))
data = step + "\n" + "".join(read(os.environ[k]) for k in inputs)
if "--fail" in args:
    log("end")
    sys.exit("failing on purpose")
write_outputs(data)
log("end")
