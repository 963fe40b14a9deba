pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  resource { # ERROR: Unsupported block type
    cpu = "1"
  }
}
