pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  env = {
    OK          = "1"
    WURZEL_STEP = "mine" # ERROR: Reserved environment variable name
  }
}
