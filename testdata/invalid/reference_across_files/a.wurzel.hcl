pipeline "p" {
  image = "alpine:3"
}

step "crawl" {
  command = ["true"]
  output "pages" {
    path = "out/pages"
    type = "markdown"
  }
}
