pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  comand  = ["false"] # ERROR: Unsupported argument
}
