pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  input "x" {
    source = "https://example.com/x"
    path   = "../elsewhere" # ERROR: Invalid path
  }
}
