pipeline "p" {
  image = "alpine:3"
}

# Saved as Latin-1, not UTF-8: the e acute below is the single byte 0xE9.
step "a" {
  command = ["echo", "café"] # ERROR: Invalid UTF-8
}
