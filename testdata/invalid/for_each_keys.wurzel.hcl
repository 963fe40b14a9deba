pipeline "p" {
  image = "alpine:3"
}

step "prepare" {
  for_each = toset([
    "north",
    "North", # ERROR: Invalid instance key
    "a_b", # ERROR: Invalid instance key
    "this-key-is-far-too-long-to-name-an-instance-of-this-step-at-all", # ERROR: Invalid instance key
  ])
  command = ["true"]
}

step "split" {
  for_each = { a-b = 1, c = 2 } # ERROR: Duplicate step name
  command  = ["true"]
}

step "split-a" {
  for_each = {
    b = 1 # ERROR: Duplicate step name
  }
  command = ["true"]
}

step "split-c" {
  command = ["true"]
}
