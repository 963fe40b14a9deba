pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "o" {
    path = "o"
  }
}

locals {
  x = var.nope # ERROR: Reference to undeclared variable
  y = step.a.output.o # ERROR: Step output used as a value
  z = step.a # ERROR: Step reference used as a value
}

step "b" {
  command = ["echo", local.x, local.y, local.z]
}
