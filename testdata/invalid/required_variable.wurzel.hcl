pipeline "p" {
  image = "alpine:3"
}

variable "model" { # ERROR: No value for required variable
  type = string
}

step "a" {
  command = ["echo", var.model]
}
