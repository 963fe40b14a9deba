package lang

import (
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/wurzel-dev/wurzel/ir"
)

func TestPipelineBlock(t *testing.T) {
	res := mustLoad(t, `pipeline "p" {
  schedule = ["0 3 * * 1-5", "@every 1h"]
  timezone = "America/New_York"
}
step "a" { command = ["true"] }
`, Options{})
	p := res.Pipeline
	if p.Name != "p" || len(p.Schedules) != 2 || p.Timezone != "America/New_York" {
		t.Errorf("pipeline %+v", p)
	}
	if got := strings.Join(p.Sources.AllowedSchemes, ","); got != "gcs,git,https,s3" {
		t.Errorf("default schemes %s", got)
	}
	if len(p.Extensions) != 0 {
		t.Errorf("back ends' blocks that were not written: %+v", p.Extensions)
	}
	if len(p.Files) != 1 || p.Files[0] != "p.wurzel.hcl" || !strings.HasPrefix(p.Dir, "/") {
		t.Errorf("files %v dir %s", p.Files, p.Dir)
	}
}

func TestSourcesBlock(t *testing.T) {
	res := mustLoad(t, `pipeline "p" {
  sources {
    allowed_schemes = ["https", "file", "https"]
    max_size        = "1Ki"
    timeout         = "30s"
  }
}
step "a" { command = ["true"] }
`, Options{})
	s := res.Pipeline.Sources
	if strings.Join(s.AllowedSchemes, ",") != "file,https" || s.MaxBytes != 1024 || s.Timeout != 30*time.Second {
		t.Errorf("sources %+v", s)
	}
}

func TestSecretBlock(t *testing.T) {
	res := mustLoad(t, header+`secret "db" {
  keys = ["user", "password"]
  kubernetes { name = "db" }
  local { dir = "secrets/db" }
}
step "a" {
  command = ["true"]
  secrets = [secret.db]
}
`, Options{})
	s := res.Pipeline.Secrets[0]
	if s.MountPath != "/var/run/secrets/wurzel/db" || strings.Join(s.Keys, ",") != "user,password" || s.Local.Dir != "secrets/db" || s.Kubernetes.Name != "db" {
		t.Errorf("secret %+v", s)
	}
	if got := res.Pipeline.Steps[0].Secrets; len(got) != 1 || got[0] != "db" {
		t.Errorf("step secrets %v", got)
	}

	bad := loadSrc(t, header+`secret "db" {
  keys = ["user", "password"]
  kubernetes { name = "db" }
  local { env = { user = "DB_USER" } }
}
step "a" {
  command = ["true"]
  secrets = [secret.db]
}
`, Options{})
	if d := findDiag(bad.Diagnostics, "Missing secret key"); d == nil || !strings.Contains(d.Detail, `"password"`) {
		t.Errorf("want missing key error: %s", dump(bad.Diagnostics))
	}
}

func TestVolumeBlock(t *testing.T) {
	res := mustLoad(t, header+`volume "v" {
  type       = "claim_template"
  size       = "1Gi"
  mount_path = "/data"
}
step "a" {
  command = ["true"]
  volumes = [volume.v]
}
`, Options{})
	v := res.Pipeline.Volumes[0]
	if v.Type != ir.ClaimTemplate || v.LocalDir != ".wurzel/volumes/v" || len(v.AccessModes) != 1 || v.AccessModes[0] != "ReadWriteOnce" {
		t.Errorf("volume %+v", v)
	}
}

func TestStepBlock(t *testing.T) {
	res := mustLoad(t, header+`step "my-step" {
  command  = ["run"]
  image    = "own:1"
  timeout  = "90s"
  settings = { max-len = 3, "ratio" = 0.5, on = true, tags = ["b", "a"], m = { z = 1, a = "x" } }
  input "in" {
    source = "https://example.com/data.csv"
  }
  output "out" {
    path = "./out/data/"
  }
  retry { attempts = 2 }
}
`, Options{})
	s := res.Pipeline.Steps[0]
	if s.Image != "own:1" || s.Timeout != 90*time.Second || s.Retry.Policy != ir.RetryOnFailure || s.Retry.Attempts != 2 {
		t.Errorf("step %+v", s)
	}
	if s.Inputs[0].Path != "inputs/in" || s.Outputs[0].Path != "out/data" {
		t.Errorf("paths: %q %q", s.Inputs[0].Path, s.Outputs[0].Path)
	}
	want := map[string]string{
		"MY_STEP__MAX_LEN": "3",
		"MY_STEP__RATIO":   "0.5",
		"MY_STEP__ON":      "true",
		"MY_STEP__TAGS":    `["b","a"]`,
		"MY_STEP__M":       `{"a":"x","z":1}`,
	}
	for _, st := range s.Settings {
		if want[st.EnvName] != st.Value {
			t.Errorf("%s = %q, want %q", st.EnvName, st.Value, want[st.EnvName])
		}
		delete(want, st.EnvName)
	}
	if len(want) > 0 {
		t.Errorf("missing settings %v", want)
	}
	for i := 1; i < len(s.Settings); i++ {
		if s.Settings[i-1].Key > s.Settings[i].Key {
			t.Errorf("settings not sorted by key")
		}
	}
}

// TestExtensionBlock decodes a back end's block generically: the written
// value, and the schema's default for what is not written.
func TestExtensionBlock(t *testing.T) {
	res := mustLoad(t, `pipeline "p" {
  dvc { params = true }
}
step "a" { command = ["true"] }
`, Options{})
	b := res.Pipeline.Extension("dvc")
	if b == nil {
		t.Fatalf("no dvc block in %+v", res.Pipeline.Extensions)
	}
	if v := b.Attrs["params"]; v == nil || v.Value != true || v.Default || v.Range.Start.Line != 2 {
		t.Errorf("params %+v", v)
	}
	if v := b.Attrs["data_dir"]; v == nil || v.Value != "data" || !v.Default {
		t.Errorf("data_dir default %+v", v)
	}
}

// TestExtensionBlockChecks: a back end's block is checked against its
// schema by the front end: types, allowed values, formats, integer bounds,
// unknown attributes.
func TestExtensionBlockChecks(t *testing.T) {
	res := loadSrc(t, `pipeline "p" {
  argo {
    pod_gc      = "Sometimes"
    parallelism = -1
    template    = "maybe"
    colour      = "blue"
    ttl { after_success = "soon" }
    toleration { seconds = 1.5 }
  }
}
step "a" { command = ["true"] }
`, Options{})
	for _, want := range []string{"Invalid value", "Unsupported argument", "Invalid duration", "Incorrect attribute value type"} {
		if findDiag(res.Diagnostics, want) == nil {
			t.Errorf("no %q diagnostic:\n%s", want, dump(res.Diagnostics))
		}
	}
	if n := len(res.Diagnostics.Errs()); n != 6 {
		t.Errorf("%d errors, want 6:\n%s", n, dump(res.Diagnostics))
	}
}

func TestSettingText(t *testing.T) {
	cases := []struct {
		v    cty.Value
		want string
	}{
		{cty.StringVal("a b"), "a b"},
		{cty.NumberIntVal(-7), "-7"},
		{cty.NumberFloatVal(1.25), "1.25"},
		{cty.MustParseNumberVal("123456789012345678901234567890"), "123456789012345678901234567890"},
		{cty.False, "false"},
		{cty.ObjectVal(map[string]cty.Value{"b": cty.True, "a": cty.ListVal([]cty.Value{cty.StringVal("x")})}), `{"a":["x"],"b":true}`},
	}
	for _, c := range cases {
		got, err := settingText(c.v)
		if err != nil || got != c.want {
			t.Errorf("settingText(%#v) = %q, %v; want %q", c.v, got, err, c.want)
		}
	}
	if _, err := settingText(cty.NullVal(cty.String)); err == nil {
		t.Errorf("null should be refused")
	}
}

func TestTarjanIterative(t *testing.T) {
	// A long chain must not exhaust the stack, and components come
	// dependencies first.
	const n = 50000
	names := make([]string, n)
	for i := range names {
		names[i] = string(rune('a'+i%26)) + itoa(i)
	}
	succ := func(s string) []string {
		var i int
		for j := 1; j < len(s); j++ {
			i = i*10 + int(s[j]-'0')
		}
		if i == 0 {
			return nil
		}
		return []string{names[i-1]}
	}
	sccs := tarjan(names[n-1:], succ)
	if len(sccs) != n || sccs[0][0] != names[0] {
		t.Fatalf("got %d components, first %v", len(sccs), sccs[0])
	}
}
