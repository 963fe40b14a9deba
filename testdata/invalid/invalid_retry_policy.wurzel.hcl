pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  retry {
    attempts = 3
    policy   = "on_fail" # ERROR: Invalid value
  }
}
