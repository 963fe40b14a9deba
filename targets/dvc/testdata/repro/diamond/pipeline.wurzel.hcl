# A diamond played as `dvc repro` would run it, with POSIX sh only: a local
# source, two branches, a join with depends_on, a secret from the
# environment, a scratch volume, a watched file and a template-like string.

pipeline "diamond" {
  description = "Split words two ways and join them"
  image       = "alpine:3.20"

  sources {
    allowed_schemes = ["file"]
  }

  dvc {
    params = true
  }
}

variable "suffix" {
  type    = string
  default = "${"$"}{not-a-dvc-var}"
}

secret "token" {
  keys = ["value"]
  local {
    env = { value = "DIAMOND_TOKEN" }
  }
}

volume "tmp" {
  type       = "empty_dir"
  mount_path = "/tmp/work"
}

# A claim's local directory is not in a fresh checkout: the stage makes it,
# as wurzel run does.
volume "cache" {
  type       = "persistent_volume_claim"
  claim_name = "diamond-cache"
  mount_path = "/cache"
  local {
    dir = "cache"
  }
}

step "source" {
  command = ["sh", "-c", "mkdir -p out && cp words/words.txt out/words.txt"]

  input "words" {
    source = "./input"
    path   = "words"
  }
  output "words" {
    path = "out/words.txt"
  }
}

step "upper" {
  command  = ["sh", "-c", "mkdir -p out && tr a-z A-Z < \"$WURZEL_INPUT_WORDS\" > out/upper.txt && echo \"$UPPER__SUFFIX\" >> out/upper.txt"]
  settings = { suffix = var.suffix }
  watch    = ["mode.conf", "conf/$${x}.conf"]
  volumes  = [volume.tmp]

  input "words" {
    from = step.source.output.words
  }
  output "upper" {
    path = "out/upper.txt"
  }
}

step "count" {
  command = ["sh", "-c", "mkdir -p out/stats && wc -l < \"$WURZEL_INPUT_WORDS\" > out/stats/lines && cp out/stats/lines \"$WURZEL_VOLUME_CACHE/lines\""]
  volumes = [volume.cache]

  input "words" {
    from = step.source.output.words
  }
  output "stats" {
    path = "out/stats/"
  }
}

step "join" {
  description = "Join: costs $${budget}"
  command = ["sh", "-c", "test -s \"$WURZEL_SECRET_TOKEN_DIR/value\" && cat \"$WURZEL_INPUT_UPPER\" \"$WURZEL_INPUT_STATS/lines\" > joined.txt"]
  secrets = [secret.token]

  input "upper" {
    from = step.upper.output.upper
  }
  input "stats" {
    from = step.count.output.stats
  }
  output "joined" {
    path = "joined.txt"
  }
}

# DVC metrics and plots: dvc metrics show and dvc plots show read them
# from the stage's metrics and plots.
step "measure" {
  command = ["sh", "-c", "n=$(wc -l < \"$WURZEL_INPUT_WORDS\" | tr -d ' '); printf '{\"words\": %s}\\n' $n > scores.json && printf 'step,words\\n1,%s\\n' $n > words.csv"]

  input "words" {
    from = step.source.output.words
  }
  output "scores" {
    path = "scores.json"
  }
  output "words" {
    path = "words.csv"
  }

  dvc {
    metrics = ["scores"]
    plots   = ["words"]
  }
}

step "notify" {
  command    = ["sh", "-c", "echo done > done.txt"]
  depends_on = [step.join]

  output "done" {
    path = "done.txt"
  }
}
