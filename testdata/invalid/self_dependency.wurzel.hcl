pipeline "p" {
  image = "alpine:3"
}

step "a" { # ERROR: Dependency cycle
  command    = ["true"]
  depends_on = [step.a]
}
