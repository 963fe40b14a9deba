pipeline "p" {
  image = "alpine:3"
}

locals {
  row   = range(1000)
  table = [for i in range(300) : local.row] # 300,000 numbers, shared
  json  = jsonencode([for i in range(100) : local.table]) # ERROR: Evaluation budget exceeded
}

step "a" {
  command = ["echo", local.json]
}
