pipeline "p" {
  image = "alpine:3"
}

locals {
  which = "a"
}

step "a" {
  command = ["true"]
  output "x" {
    path = "out/x"
  }
}

step "b" {
  command = ["true"]
  input "x" {
    from = step[local.which].output.x # ERROR: Invalid reference
  }
}
