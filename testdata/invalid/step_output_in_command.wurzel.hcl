pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "x" {
    path = "out/x"
  }
}

step "b" {
  command = ["cat", step.a.output.x] # ERROR: Step output used as a value
}
