pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["echo", format("%999999999d", 1)] # ERROR: Invalid function argument
}
