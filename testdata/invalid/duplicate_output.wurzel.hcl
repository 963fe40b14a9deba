pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "x" {
    path = "out/x"
  }
  output "x" { # ERROR: Duplicate output
    path = "out/y"
  }
}
