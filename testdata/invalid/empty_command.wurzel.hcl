pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = [] # ERROR: Empty command
}
