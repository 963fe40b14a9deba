# Every construct the DVC target maps: the dvc block, params, watch paths,
# local and remote sources (pinned and not), secrets from a directory and
# from the environment, scratch and provided volumes, depends_on, and strings
# that YAML 1.1 or DVC's templating would misread.

pipeline "full" {
  description = "Train a model from remote and local data"
  image       = "ghcr.io/acme/train:2.0"

  sources {
    allowed_schemes = ["file", "git", "https"]
  }

  dvc {
    data_dir = "artifacts"
    params   = true
  }
}

variable "epochs" {
  type    = number
  default = 3
}

variable "mode" {
  type    = string
  default = "yes"
}

variable "rate" {
  type    = number
  default = 0.001
}

variable "api_token" {
  type      = string
  default   = "not-a-real-token"
  sensitive = true
}

secret "registry" {
  keys = ["user", "password"]
  local {
    env = { user = "REGISTRY_USER", password = "REGISTRY_PASSWORD" }
  }
}

secret "signing" {
  keys = ["key"]
  local {
    dir = "keys/signing"
  }
}

volume "scratch" {
  type       = "empty_dir"
  mount_path = "/scratch"
}

volume "models" {
  type       = "persistent_volume_claim"
  claim_name = "models"
  mount_path = "/models"
  local {
    dir = "shared/models"
  }
}

step "fetch" {
  description = "Fetch the seed lists and the pinned archive"
  command     = ["sh", "-c", "cp -r in out"]
  secrets     = [secret.registry]

  input "seeds" {
    source = "git::https://github.com/acme/seeds.git//lists?ref=v1.2"
    path   = "in/seeds"
  }
  input "archive" {
    source = "https://example.com/data.tar.gz?checksum=sha256:6a4f3b1c9d2e8f7a0b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a"
    path   = "in/archive"
  }
  output "on" {
    path = "out/"
    type = "0777"
  }
}

step "prep" {
  description = "Clean the local rows"
  command     = ["python3", "scripts/prep.py"]
  settings    = { mode = var.mode }

  input "rows" {
    source = "./raw"
    path   = "raw"
  }
  output "clean" {
    path = "clean.csv"
  }
}

step "train" {
  description = "Costs $${budget}: train for var.epochs epochs"
  command     = ["python3", "-c", "print('train')"]
  settings    = { epochs = var.epochs, rate = var.rate }
  env         = { MODE = var.mode }
  volumes     = [volume.scratch, volume.models]
  watch       = ["scripts/train.py"]

  input "seeds" {
    from = step.fetch.output.on
  }
  input "rows" {
    from = step.prep.output.clean
  }
  output "model" {
    path = "model.bin"
    type = "model"
  }
  output "scores" {
    path = "eval/scores.json"
  }
  output "loss" {
    path = "eval/loss.csv"
    type = "loss_curve"
  }
  timeout = "1h"

  dvc {
    metrics = ["scores"]
    plots   = ["loss"]
  }
}

step "report" {
  command    = ["true"]
  secrets    = [secret.signing]
  depends_on = [step.train]
}
