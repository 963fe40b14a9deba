pipeline "p" {
  image = "alpine:3"
}

locals {
  # The first letter of this name is a Cyrillic "а".
  аbc = "cyrillic" # WARNING: Identifier mixes scripts
}

step "a" {
  command = ["echo", local.abc] # ERROR: Reference to undeclared local value
  env     = { NOTE = "admin‮ ⁦// check later⁩ ⁦" } # WARNING: Bidirectional control character
}
