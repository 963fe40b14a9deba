pipeline "p" {
  image = "alpine:3"
}

pipeline "q" { # ERROR: Duplicate pipeline block
}

step "a" {
  command = ["true"]
}
