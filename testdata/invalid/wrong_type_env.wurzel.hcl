pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  env     = ["A", "B"] # ERROR: Incorrect attribute value type
}
