pipeline "p" {
  image = "alpine:3"
}

secret "db" {
  keys       = ["password"]
  export_env = { pasword = "DB_PASSWORD" } # ERROR: Unknown secret key
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
}
