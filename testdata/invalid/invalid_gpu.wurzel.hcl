pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  resources {
    gpu = 1.5 # ERROR: Invalid value
  }
}
