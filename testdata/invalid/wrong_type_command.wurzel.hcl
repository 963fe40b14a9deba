pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = "python" # ERROR: Incorrect attribute value type
}
