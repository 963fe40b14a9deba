pipeline "p" {
  image = "alpine:3"
}

secret "db" {
  keys = ["password"]
  kubernetes {
    name = "db"
  }
  local {
    dir = ".secrets/db"
  }
}

step "a" {
  command = ["true"]
  secrets = [secret.db]
  env     = { PASSWORD = secret.db.password } # ERROR: Secret used as a value
}
