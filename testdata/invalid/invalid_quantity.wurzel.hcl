pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  resources {
    cpu    = "1"
    memory = "2GB" # ERROR: Invalid quantity
  }
}
