pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "x" {
    path = "out/x"
  }
}

step "b" {
  command = ["true"]
  input "x" {
    from   = step.a.output.x
    source = "https://example.com/x" # ERROR: Conflicting input source
  }
}
