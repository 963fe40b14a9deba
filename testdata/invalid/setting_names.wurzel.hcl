pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  settings = {
    "has space" = 1 # ERROR: Invalid setting name
    max-len     = 2
    "max_len"   = 3 # ERROR: Duplicate setting
    empty       = null # ERROR: Invalid value
  }
}
