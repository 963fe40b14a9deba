pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  input "9lives" { # ERROR: Invalid name
    source = "https://example.com/x"
  }
}
