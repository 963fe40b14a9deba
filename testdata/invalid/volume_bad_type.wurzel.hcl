pipeline "p" {
  image = "alpine:3"
}

volume "cache" {
  type       = "emptydir" # ERROR: Invalid value
  mount_path = "/cache"
}

step "a" {
  command = ["true"]
  volumes = [volume.cache]
}
