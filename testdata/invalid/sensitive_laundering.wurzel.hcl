pipeline "p" {
  image = "alpine:3"
}

variable "password" {
  type      = string
  default   = "abc"
  sensitive = true
}

# Whatever depends on a sensitive value stays sensitive, however it is
# computed: can() and try() evaluate expressions whose values the caller
# never sees, and HCL drops the marks of an object's key.
locals {
  letters = [for c in ["a", "b", "c"] : c if can(regex("^${c}", var.password))]
  first   = try(regex("^z", var.password), "no z")
  table   = { abc = "x", def = "y" }
  row     = local.table[var.password]
  same    = var.password == "abc" ? "yes" : "no"
  spelled = "%{if var.password == "abc"}yes%{endif}"
  looked  = lookup(local.table, var.password, "none")
}

step "a" {
  command = concat(["echo"], local.letters) # ERROR: Sensitive value in pipeline definition
  env = {
    FIRST   = local.first   # ERROR: Sensitive value in pipeline definition
    ROW     = local.row     # ERROR: Sensitive value in pipeline definition
    SAME    = local.same    # ERROR: Sensitive value in pipeline definition
    SPELLED = local.spelled # ERROR: Sensitive value in pipeline definition
    LOOKED  = local.looked  # ERROR: Sensitive value in pipeline definition
  }
}
