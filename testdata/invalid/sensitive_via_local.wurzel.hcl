pipeline "p" {
  image = "alpine:3"
}

variable "token" {
  type      = string
  default   = "s3cr3t"
  sensitive = true
}

locals {
  header = "Bearer ${var.token}"
}

step "a" {
  command  = ["true"]
  settings = { auth = local.header } # ERROR: Sensitive value in pipeline definition
}
