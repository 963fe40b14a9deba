pipeline "p" {
  image = "alpine:3"
}

variable "password" {
  type      = string
  default   = "abc"
  sensitive = true
}

# can() and try() evaluate expressions whose values the caller never sees;
# their results still depend on the sensitive value and stay sensitive.
locals {
  letters = [for c in ["a", "b", "c"] : c if can(regex("^${c}", var.password))]
  first   = try(regex("^z", var.password), "no z")
}

step "a" {
  command = concat(["echo"], local.letters) # ERROR: Sensitive value in pipeline definition
  env     = { FIRST = local.first }         # ERROR: Sensitive value in pipeline definition
}
