pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "x" { # ERROR: Missing required argument
    type = "t"
  }
}
