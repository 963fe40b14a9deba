pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["echo", vars.x] # ERROR: Unknown reference
}
