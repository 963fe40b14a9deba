pipeline "p" {
  schedule = [
    "0 3 * * *",
    "61 * * * *", # ERROR: Invalid cron expression
    "@daily",
  ]
}

step "a" {
  command = ["true"]
}
