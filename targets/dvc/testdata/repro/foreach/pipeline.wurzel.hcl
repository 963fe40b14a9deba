# Fan-out and fan-in played as `dvc repro` would run it, with POSIX sh only:
# a step with one instance per shard, each reading its own local source, a
# step paired with it by key, a step gathering every instance, and a step
# that always runs.

pipeline "foreach" {
  image = "alpine:3.20"
  env   = { GREETING = "rows of" }

  sources {
    allowed_schemes = ["file"]
  }
}

variable "shards" {
  type    = set(string)
  default = ["east", "north", "south"]
}

step "prepare" {
  for_each = var.shards
  command  = ["sh", "-c", "mkdir -p out && { echo \"$GREETING $WURZEL_EACH_KEY\"; cat shard.txt; } > out/rows.txt"]

  input "shard" {
    source = "./shards/${each.key}.txt"
    path   = "shard.txt"
  }
  output "rows" {
    path = "out/rows.txt"
  }
}

step "count" {
  for_each = var.shards
  command  = ["sh", "-c", "mkdir -p out && wc -l < inputs/rows > out/count.txt"]

  input "rows" {
    from = step.prepare[each.key].output.rows
  }
  output "count" {
    path = "out/count.txt"
  }
}

step "merge" {
  command = ["sh", "-c", "ls inputs/rows > all.txt && cat inputs/rows/* inputs/counts/* >> all.txt"]

  input "rows" {
    from = step.prepare[*].output.rows
  }
  input "counts" {
    from = step.count[*].output.count
  }
  output "all" {
    path = "all.txt"
  }
}

step "notify" {
  command    = ["sh", "-c", "cat inputs/north > sent.txt"]
  always_run = true

  input "north" {
    from = step.prepare["north"].output.rows
  }
  output "sent" {
    path = "sent.txt"
  }
}
