pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "pages" {
    path = "out/pages"
    type = "markdown_documents"
  }
}

step "b" {
  command = ["true"]
  input "pages" {
    from = step.a.output.pages
    type = "html_documents" # ERROR: Input type mismatch
  }
}
