pipeline "p" {
  image = "alpine:3"
}

step "Crawl_Step" { # ERROR: Invalid name
  command = ["true"]
}
