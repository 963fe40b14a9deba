pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  env = {
    A = "1"
    A = "2" # ERROR: Duplicate map key
  }
}
