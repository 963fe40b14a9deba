pipeline "p" {
  image = "alpine:3"
}

secret "api" {
  keys = ["token", "user"]
  kubernetes {
    name = "api"
  }
  local {
    env = { # ERROR: Missing secret key
      token = "API_TOKEN"
      tokn  = "X" # ERROR: Unknown secret key
    }
  }
}

step "a" {
  command = ["true"]
  secrets = [secret.api]
}
