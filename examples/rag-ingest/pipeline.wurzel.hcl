# rag-ingest: read a small corpus of markdown documents, split them into
# chunks, embed the chunks and build a search index.
#
# It runs on a laptop (`wurzel run examples/rag-ingest`) with Python 3's
# standard library and no network, and the same file generates Argo Workflows
# and DVC pipelines.

pipeline "rag-ingest" {
  description = "Read, split, embed and index the docs"
  image       = "ghcr.io/acme/rag-steps:1.4.2"
  labels      = { team = "search" }

  sources {
    # "file" lets local runs read the corpus that ships next to this file.
    allowed_schemes = ["file", "https", "git", "s3"]
  }
}

variable "corpus" {
  type        = string
  default     = "./corpus"
  description = "Where the corpus comes from: a go-getter address. The default is the copy next to this file, for local runs; on Argo pass a remote one, e.g. --var corpus=git::https://github.com/acme/docs.git//corpus?ref=v1"
}

variable "chunk_tokens" {
  type        = number
  default     = 64
  description = "Maximum tokens (words) per chunk"

  validation {
    condition     = var.chunk_tokens > 0
    error_message = "chunk_tokens must be positive."
  }
}

variable "embedding_dim" {
  type        = number
  default     = 16
  description = "Dimensions of the toy embedding"
}

locals {
  model = "toy-hash-embedding"
}

secret "index-token" {
  description = "Token the indexer signs its index with"
  keys        = ["token"]

  kubernetes {
    name = "rag-index-token"
  }
  local {
    dir = "secrets/index-token"
  }
}

volume "embed-cache" {
  type       = "empty_dir"
  mount_path = "/cache/embeddings"
  size_limit = "1Gi"
}

step "read" {
  description = "Collect the markdown documents of the corpus"
  # The program travels inside the command, so the step needs nothing but
  # Python 3 wherever it runs.
  command = ["python3", "-c", file("steps/read.py")]

  input "corpus" {
    source = var.corpus
    path   = "corpus"
  }

  output "pages" {
    path = "out/pages/"
    type = "markdown_documents"
  }
}

step "split" {
  description = "Split documents into chunks of at most chunk_tokens words"
  command     = ["python3", "-c", file("steps/split.py")]
  settings = {
    token_count_max = var.chunk_tokens
    overlap         = 8
  }

  input "pages" {
    from = step.read.output.pages
    type = "markdown_documents"
  }

  output "chunks" {
    path = "out/chunks.jsonl"
    type = "markdown_chunks"
  }

  resources {
    cpu    = "1"
    memory = "2Gi"
  }
}

step "embed" {
  description = "Compute a toy embedding for every chunk"
  command     = ["python3", "-c", file("steps/embed.py"), "--model", local.model]
  env         = { EMBED_CACHE = "/cache/embeddings" }
  settings    = { dim = var.embedding_dim }
  volumes     = [volume.embed-cache]

  input "chunks" {
    from = step.split.output.chunks
  }

  output "vectors" {
    path = "out/vectors.jsonl"
    type = "embedded_chunks"
  }

  resources {
    cpu    = "2"
    memory = "4Gi"
  }

  retry {
    attempts = 3
    backoff  = "30s"
  }

  timeout = "2h"
}

step "index" {
  description = "Build the search index and sign it"
  command     = ["python3", "-c", file("steps/index.py")]
  secrets     = [secret.index-token]

  input "vectors" {
    from = step.embed.output.vectors
  }

  output "index" {
    path = "out/index.json"
    type = "search_index"
  }

  depends_on = [step.split]
}
