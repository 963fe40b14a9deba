pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
}

step "a" { # ERROR: Duplicate step
  command = ["false"]
}
