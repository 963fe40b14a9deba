pipeline "p" {
  image = "alpine:3"
}

variable "n" {
  type    = number
  default = 1
  validation {
    condition     = 1 > 0 # ERROR: Invalid validation condition
    error_message = "always true"
  }
  validation {
    condition     = local.x > var.n # ERROR: Invalid reference in variable validation
    error_message = "uses a local"
  }
}

locals {
  x = 0
}

step "a" {
  command = ["echo", var.n, local.x]
}
