pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  input "x" {
    from = step.crawl.output.pages # ERROR: Reference to undeclared step
  }
}
