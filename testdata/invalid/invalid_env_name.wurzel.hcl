pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  env = {
    "1ABC" = "x" # ERROR: Invalid environment variable name
  }
}
