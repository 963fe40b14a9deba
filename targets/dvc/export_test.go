package dvc

// Test helpers shared with the external tests (package dvc_test), so that
// both find the schema, the repository and the golden files the same way.
var (
	UpdateGolden = update
	CheckGolden  = checkGolden
	DVCSchema    = dvcSchema
	ValidateDVC  = validateDVC
	YAML12JSON   = yaml12JSON
	RepoRoot     = repoRoot
)
