pipeline "p" {
  image = "alpine:3"
}

variable "token" {
  type      = string
  default   = "s3cr3t"
  sensitive = true
}

step "a" {
  command = [
    "login",
    var.token, # ERROR: Sensitive value in pipeline definition
  ]
}
