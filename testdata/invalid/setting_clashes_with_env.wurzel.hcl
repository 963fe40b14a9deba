pipeline "p" {
  image = "alpine:3"
}

step "split" {
  command  = ["true"]
  env      = { SPLIT__OVERLAP = "1" }
  settings = {
    overlap = 32 # ERROR: Setting clashes with env
  }
}
