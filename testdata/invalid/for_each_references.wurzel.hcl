pipeline "p" {
  image = "alpine:3"
}

locals {
  shard = each.key # ERROR: each outside for_each
}

step "plain" {
  command = ["run", each.key] # ERROR: each outside for_each
  output "rows" { path = "out/rows" }
}

step "prepare" {
  for_each = toset(["north", "south"])
  command  = ["prep", each.name] # ERROR: Invalid reference
  output "rows" { path = "out/rows" }
}

step "merge" {
  command = ["merge"]
  input "a" {
    from = step.plain[*].output.rows # ERROR: Step has no instances
  }
  input "b" {
    from = step.prepare["nrth"].output.rows # ERROR: Reference to undeclared instance
  }
  input "c" {
    from = step.prepare.output.rows # ERROR: Instance not chosen
  }
  input "d" {
    from = step.prepare[each.key].output.rows # ERROR: each outside for_each
  }
  input "e" {
    from = step.plain["x"].output.rows # ERROR: Step has no instances
  }
}

step "paired" {
  for_each = toset(["north", "east"])
  command  = ["pair"]
  input "rows" {
    from = step.prepare[each.key].output.rows # ERROR: Reference to undeclared instance
  }
}
