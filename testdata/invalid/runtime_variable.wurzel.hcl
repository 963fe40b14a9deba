pipeline "p" {
  image = "debian:12"
}

variable "tag" {
  type    = string
  default = "12"
  runtime = true
}

variable "sizes" {
  type    = list(number)
  default = [1]
  runtime = true # ERROR: Variable cannot be set at run time
}

step "a" {
  image   = "debian:${var.tag}" # ERROR: Variable cannot be set at run time
  command = ["echo", var.tag, jsonencode(var.sizes)]
}
