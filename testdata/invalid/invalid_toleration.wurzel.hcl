pipeline "p" {
  argo {
    toleration {
      key      = "gpu"
      operator = "Exists"
      value    = "yes" # ERROR: Invalid toleration
    }
    toleration {
      key     = "gpu"
      effect  = "NoSchedule"
      seconds = 30 # ERROR: Invalid toleration
    }
  }
}

step "a" {
  command = ["true"]
}
