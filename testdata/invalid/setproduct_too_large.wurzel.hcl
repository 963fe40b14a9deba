pipeline "p" {
  image = "alpine:3"
}

locals {
  grid = setproduct(range(100), range(100), range(100)) # ERROR: Invalid function argument
  ok   = setproduct(["a", "b"], range(3))
}

step "a" {
  command = ["echo", length(local.grid), length(local.ok)]
}
