pipeline "p" {
  image = "alpine:3"
}

volume "cache" {
  type       = "empty_dir"
  claim_name = "cache" # ERROR: Attribute not valid for volume type
  mount_path = "/cache"
}

step "a" {
  command = ["true"]
  volumes = [volume.cache]
}
