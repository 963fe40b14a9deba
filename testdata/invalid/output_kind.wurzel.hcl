pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "x" {
    path = "out/x/"
    kind = "file" # ERROR: Conflicting output kind
  }
  output "y" {
    path = "out/y"
    kind = "directory" # ERROR: Invalid value
  }
}
