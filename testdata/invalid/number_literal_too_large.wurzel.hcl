pipeline "p" {
  image = "alpine:3"
}

# Written out, this number would have a hundred million digits.
locals {
  x = 1e100000000 # ERROR: Number out of range
}
