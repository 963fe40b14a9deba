pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  timeout = "2 hours" # ERROR: Invalid duration
}
