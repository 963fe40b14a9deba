pipeline "p" {
  image = "alpine:3"
}

step "a" {
  count   = 3 # ERROR: Unsupported argument
  command = ["sh", "-c", "echo ${HOME}"] # ERROR: Unknown reference
  ouput "model" { # ERROR: Unsupported block type
    path = "out/model"
  }
  dynamic "input" { # ERROR: Unsupported block type
  }
  input "x" {
    for_each = [] # ERROR: Unsupported argument
    source   = "./x"
  }
}
