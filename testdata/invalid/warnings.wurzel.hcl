pipeline "p" {
  timezone = "UTC" # WARNING: Time zone without schedule
}

variable "unused" { # WARNING: Unused variable
  default = 1
}

secret "s" { # WARNING: Unused secret
  keys = ["k"]
}

volume "v" { # WARNING: Unused volume
  type       = "empty_dir"
  mount_path = "/v"
}

step "a" {
  command = ["true"]
  watch   = ["does/not/exist.py"] # WARNING: Watched path does not exist
  timeout = "0s" # ERROR: Invalid duration
}
