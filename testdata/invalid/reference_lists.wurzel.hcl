pipeline "p" {
  image = "alpine:3"
}

secret "s" {
  keys = ["k"]
  kubernetes {
    name = "s"
  }
  local {
    dir = "s"
  }
}

step "a" {
  command = ["true"]
}

step "b" {
  command    = ["true"]
  secrets    = secret.s # ERROR: Invalid reference list
  depends_on = [step.a, step.a] # ERROR: Duplicate reference
}

step "c" {
  command    = ["true"]
  secrets    = [secret.s]
  depends_on = ["step.a"] # ERROR: Invalid reference
}
