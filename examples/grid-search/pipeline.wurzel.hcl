# grid-search: fan-out and fan-in. Fit one polynomial model per point of a
# grid of degrees and ridge penalties, score each on held-out points, and
# pick the best. Run it with `wurzel run examples/grid-search`.

pipeline "grid-search" {
  description = "Fit a grid of polynomial models and pick the best"
  image       = "python:3.12-slim"
  env         = { PYTHONDONTWRITEBYTECODE = "1" }

  sources {
    allowed_schemes = ["file", "https", "git"]
  }
}

variable "points" {
  type        = string
  default     = "./points"
  description = "Where the points come from: a go-getter address"
}

variable "degrees" {
  type        = list(number)
  default     = [1, 2, 3]
  description = "Degrees of the polynomials to fit"
}

variable "ridge" {
  type        = list(number)
  default     = [0, 100, 5000]
  description = "Ridge penalties to try, in thousandths"
}

locals {
  # One instance per pair: d2-r100 fits a polynomial of degree 2 with a
  # ridge penalty of 0.1.
  grid = {
    for pair in setproduct(var.degrees, var.ridge) :
    "d${pair[0]}-r${pair[1]}" => { degree = pair[0], ridge = pair[1] / 1000 }
  }
}

step "split" {
  description = "Split the points into a training and a test set"
  command     = ["python3", "-c", file("steps/split.py")]
  settings    = { test_every = 4 }

  input "points" {
    source = var.points
    path   = "points"
  }
  output "train" {
    path = "out/train.csv"
    type = "points"
  }
  output "test" {
    path = "out/test.csv"
    type = "points"
  }
}

step "fit" {
  for_each    = local.grid
  description = "Fit one polynomial of the grid"
  command     = ["python3", "-c", file("steps/fit.py")]
  settings    = { degree = each.value.degree, ridge = each.value.ridge }

  input "train" {
    from = step.split.output.train
    type = "points"
  }
  output "model" {
    path = "out/model.json"
    type = "model"
  }
}

step "score" {
  for_each    = local.grid
  description = "Score the model of the same key on the test points"
  command     = ["python3", "-c", file("steps/score.py")]

  input "model" {
    from = step.fit[each.key].output.model
    type = "model"
  }
  input "test" {
    from = step.split.output.test
    type = "points"
  }
  output "score" {
    path = "out/score.json"
    type = "score"
  }
}

step "pick" {
  description = "Pick the model with the lowest test error"
  command     = ["python3", "-c", file("steps/pick.py")]

  # Every instance: a directory with one entry per key.
  input "scores" {
    from = step.score[*].output.score
    type = "score"
  }
  input "models" {
    from = step.fit[*].output.model
    type = "model"
  }
  output "best" {
    path = "out/best.json"
    type = "model"
  }
}

step "announce" {
  description = "Announce the winner"
  command     = ["python3", "-c", file("steps/announce.py")]
  always_run  = true

  input "best" {
    from = step.pick.output.best
    type = "model"
  }
}
