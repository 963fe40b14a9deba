pipeline "p" {
  image = "alpine:3"
}

volume "v" {
  type       = "empty_dir"
  mount_path = "/v"
}

step "a" {
  command = ["ls", volume.v] # ERROR: Volume used as a value
  volumes = [volume.v]
}
