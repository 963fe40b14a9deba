step "crawl" { # ERROR: Duplicate step
  command = ["false"]
}
