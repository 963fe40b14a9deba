pipeline "p" {
  image = "alpine:3"
}

locals {
  kilo = join("", [for i in range(1024) : "x"])
  mega = join("", [for i in range(1024) : local.kilo])
  # An empty pattern matches between every two characters: a terabyte.
  huge = replace(local.mega, "", local.mega) # ERROR: Evaluation budget exceeded
}

step "a" {
  command = ["echo", local.huge]
}
