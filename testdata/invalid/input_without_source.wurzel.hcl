pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  input "x" { # ERROR: Missing input source
    path = "x"
  }
}
