pipeline "p" {
  image = "alpine:3"
}

locals {
  model = "m"
}

step "a" {
  command = ["echo", local.modle] # ERROR: Reference to undeclared local value
}
