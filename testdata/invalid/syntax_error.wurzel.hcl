pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true" "false"] # ERROR: Missing item separator
}
