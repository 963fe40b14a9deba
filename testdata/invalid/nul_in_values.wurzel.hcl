pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["echo", "a\u0000b"]  # ERROR: NUL character in value
  env     = { X = "\u0000" }      # ERROR: NUL character in value
  output "o" {
    path = "out/\u0000/x"         # ERROR: NUL character in value
  }
}
