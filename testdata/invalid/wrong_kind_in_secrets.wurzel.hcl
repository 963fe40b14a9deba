pipeline "p" {
  image = "alpine:3"
}

volume "cache" {
  type       = "empty_dir"
  mount_path = "/cache"
}

step "a" {
  command = ["true"]
  volumes = [volume.cache]
  secrets = [volume.cache] # ERROR: Invalid reference
}
