pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["python3", "-c", file("steps/missing.py")] # ERROR: Invalid function argument
}
