pipeline "p" {
  image = "alpine:3"
}

step "grid" {
  for_each = { for p in setproduct(range(100), range(60)) : "k${p[0]}-${p[1]}" => p[0] }
  command  = ["run", each.key]
}

step "more" {
  for_each = { for p in setproduct(range(100), range(50)) : "k${p[0]}-${p[1]}" => p[0] } # ERROR: Too many instances
  command  = ["run", each.key]
}
