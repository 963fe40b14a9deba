pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "pages" {
    path = "out/pages"
  }
}

step "b" {
  command = ["true"]
  input "x" {
    from = step.a.output.page # ERROR: Reference to undeclared output
  }
}
