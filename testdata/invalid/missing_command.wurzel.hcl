pipeline "p" {
  image = "alpine:3"
}

step "a" { # ERROR: Missing required argument
  description = "no command"
}
