pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  secrets = [secret.qdrant] # ERROR: Reference to undeclared secret
}
