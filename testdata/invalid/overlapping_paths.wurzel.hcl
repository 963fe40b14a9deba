pipeline "p" {
  image = "alpine:3"
}

step "a" {
  command = ["true"]
  output "x" {
    path = "out"
  }
  output "y" {
    path = "out/y" # ERROR: Overlapping paths
  }
}
