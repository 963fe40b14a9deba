pipeline "p" {
  image = "alpine:3"
}

step "a" { # ERROR: Dependency cycle
  command    = ["true"]
  depends_on = [step.b]
}

step "b" {
  command    = ["true"]
  depends_on = [step.a]
}

step "x" { # ERROR: Dependency cycle
  command    = ["true"]
  depends_on = [step.y]
}

step "y" {
  command    = ["true"]
  depends_on = [step.x]
}
