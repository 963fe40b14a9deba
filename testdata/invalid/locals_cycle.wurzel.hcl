pipeline "p" {
  image = "alpine:3"
}

locals {
  a = local.b # ERROR: Cycle in local values
  b = "${local.a}-x"
  c = "fine"
}

step "a" {
  command = ["echo", local.c]
}
