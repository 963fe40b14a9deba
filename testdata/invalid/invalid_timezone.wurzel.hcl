pipeline "p" {
  schedule = ["@daily"]
  timezone = "Mars/Olympus" # ERROR: Invalid time zone
}

step "a" {
  command = ["true"]
}
