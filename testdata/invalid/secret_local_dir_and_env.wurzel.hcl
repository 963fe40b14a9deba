pipeline "p" {
  image = "alpine:3"
}

secret "db" {
  keys = ["password"]
  kubernetes {
    name = "db"
  }
  local { # ERROR: Invalid local secret
    dir = ".secrets/db"
    env = { password = "DB_PASSWORD" }
  }
}

step "a" {
  command = ["true"]
  secrets = [secret.db]
}
