pipeline "p" {
  image = "alpine:3"
}

volume "models" { # ERROR: Missing required argument
  type       = "persistent_volume_claim"
  mount_path = "/models"
}

step "a" {
  command = ["true"]
  volumes = [volume.models]
}
