pipeline "p" {
  sources {
    max_size = "1.5" # ERROR: Invalid quantity
    timeout  = "-5m" # ERROR: Invalid duration
  }
}

step "a" {
  command = ["true"]
}
