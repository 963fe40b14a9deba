pipeline "p" {
  image = "alpine:3"
}

locals {
  digits = join("", [for i in range(1001) : "7"])
}

step "a" {
  command = [
    "echo",
    1e300 * 1e300 * 1e300 * 1e300, # ERROR: Number out of range
    tonumber("1e9999"),            # ERROR: Error in function call
    local.digits + 1,              # ERROR: Number too long
  ]
}
