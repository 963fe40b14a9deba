pipeline "p" {
  image = "alpine:3"
}

task "a" { # ERROR: Unsupported block type
}
