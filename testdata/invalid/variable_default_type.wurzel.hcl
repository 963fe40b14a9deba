pipeline "p" {
  image = "alpine:3"
}

variable "n" {
  type    = number
  default = "many" # ERROR: Invalid value for variable
}

step "a" {
  command = ["echo", var.n]
}
