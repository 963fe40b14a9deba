pipeline "-bad" { # ERROR: Invalid name
}

step "a" {
  command = ["true"]
}
