pipeline "p" {
  image = "alpine:3"
}

volume "v" {
  type         = "claim_template"
  size         = "1Gi"
  access_modes = ["ReadWriteOnce", "ReadWriteAll"] # ERROR: Invalid access mode
  mount_path   = "/v"
}

step "a" {
  command = ["true"]
  volumes = [volume.v]
}
