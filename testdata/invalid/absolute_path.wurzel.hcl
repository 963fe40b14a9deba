pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "x" {
    path = "/tmp/out" # ERROR: Invalid path
  }
}
