pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  input "x" {
    source = "https://example.com/x"
    path   = "data"
  }
  input "y" {
    source = "https://example.com/y"
    path   = "data/" # ERROR: Overlapping paths
  }
}
