pipeline "p" {
  image    = "alpine:3"
  schedule = ["@hourly"]
  argo {
    pod_gc = "OnSuccess" # ERROR: Invalid value
    toleration {
      key      = "gpu"
      operator = "Equals" # ERROR: Invalid value
      effect   = "NoSchedule"
    }
    ttl {
      after_success = "1 day" # ERROR: Invalid duration
    }
    cron {
      concurrency_policy = "Skip" # ERROR: Invalid value
    }
  }
}

step "a" {
  command = ["true"]
}
