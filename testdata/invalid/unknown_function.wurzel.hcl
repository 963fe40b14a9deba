pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = [uper("x")] # ERROR: Call to unknown function
}
