pipeline "p" {
  image = "alpine:3"
}

volume "cache" {
  type       = "empty_dir"
  mount_path = "cache" # ERROR: Invalid mount path
}

step "a" {
  command = ["true"]
  volumes = [volume.cache]
}
