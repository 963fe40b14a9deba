pipeline "p" {
  image = "alpine:3"
}

# file() reads regular files only: a device or a FIFO has no size to check
# and would be read forever.
step "a" {
  command = ["echo", file("/dev/zero")] # ERROR: Invalid function argument
}
