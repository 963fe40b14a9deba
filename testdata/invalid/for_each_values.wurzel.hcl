pipeline "p" {
  image = "alpine:3"
}

variable "token" {
  default   = ["a"]
  sensitive = true
}

step "list" {
  for_each = ["a", "b"] # ERROR: Invalid for_each
  command  = ["true"]
}

step "numbers" {
  for_each = toset([1, 2]) # ERROR: Invalid for_each
  command  = ["true"]
}

step "empty" {
  for_each = {} # ERROR: Empty for_each
  command  = ["true"]
}

step "secret" {
  for_each = toset(var.token) # ERROR: Sensitive value in for_each
  command  = ["true"]
}

step "self" {
  for_each = toset([each.key]) # ERROR: each in for_each
  command  = ["true"]
}
