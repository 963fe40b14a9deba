pipeline "p" {
  image = "alpine:3"
}

step "a" { # ERROR: Dependency cycle
  command    = ["true"]
  depends_on = [step.c]
}

step "b" {
  command    = ["true"]
  depends_on = [step.a]
  output "y" {
    path = "out/y"
  }
}

step "c" {
  command = ["true"]
  input "x" {
    from = step.b.output.y
  }
}

step "b2" {
  command    = ["true"]
  depends_on = [step.a]
}
