pipeline "p" {
  image = "alpine:3"
}

step "crawl" {
  command = ["true"]
}
