pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = [
    "echo",
    log(0, 0),    # ERROR: Error in function call
    pow(-8, 0.5), # ERROR: Error in function call
    log(0, 10),   # ERROR: Error in function call
  ]
}
