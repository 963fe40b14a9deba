pipeline "p" {
  image = "alpine:3"
}

# go-cty decodes JSON recursively: nesting is bounded as in pipeline source.
locals {
  deep = jsondecode(file("deep.json")) # ERROR: Invalid function argument
}

step "a" {
  command = ["echo", jsonencode(local.deep)]
}
