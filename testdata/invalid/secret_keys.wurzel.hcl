pipeline "p" {
  image = "alpine:3"
}

secret "db" {
  keys = [
    "user",
    "pass word", # ERROR: Invalid secret key
    "user", # ERROR: Duplicate secret key
  ]
  mount_path = "/run/../secrets" # ERROR: Invalid mount path
  kubernetes {
    name = "db"
  }
  local {
    dir = "secrets/db"
  }
}

step "a" {
  command = ["true"]
  secrets = [secret.db]
}
