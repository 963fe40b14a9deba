pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  resources {
    cpu = "1"
  }
  resources { # ERROR: Duplicate resources block
    cpu = "2"
  }
}
