pipeline "p" {
  image = "alpine:3"
}

# A billion elements in three lines: refused where the budget runs out.
locals {
  cube = flatten([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : 1]]]) # ERROR: Evaluation budget exceeded
}

step "a" {
  command = ["echo", length(local.cube)]
}
