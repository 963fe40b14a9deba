pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  retry {
    attempts = 2
    backoff  = "soon" # ERROR: Invalid duration
  }
}
