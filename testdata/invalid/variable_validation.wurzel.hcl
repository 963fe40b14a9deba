pipeline "p" {
  image = "alpine:3"
}

variable "chunk_tokens" {
  type    = number
  default = 0 # ERROR: Invalid value for variable
  validation {
    condition     = var.chunk_tokens > 0
    error_message = "chunk_tokens must be positive."
  }
}

step "a" {
  command = ["echo", var.chunk_tokens]
}
