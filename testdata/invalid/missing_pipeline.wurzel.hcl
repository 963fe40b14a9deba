step "a" { # ERROR: Missing pipeline block
  command = ["true"]
}
