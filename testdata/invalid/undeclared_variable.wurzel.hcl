pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["echo", var.chunk] # ERROR: Reference to undeclared variable
}
