pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  retry {
    attempts    = 3
    backoff     = "10m"
    max_backoff = "1m" # ERROR: Invalid retry
  }
}
