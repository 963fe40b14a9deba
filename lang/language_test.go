package lang

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/internal/testcase"
	"github.com/wurzel-dev/wurzel/targets"
)

// language is what the front end decodes in a real run: its own blocks and
// those of every back end. The front end's tests use it so that pipelines
// with argo and dvc blocks load as they do for `wurzel validate`.
var language = targets.Language(Schema)

func diagString(d *hcl.Diagnostic) string { return testcase.DiagString(d) }

func dump(diags hcl.Diagnostics) string { return testcase.Dump(diags) }
