package schema

import (
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/ir"
)

var (
	testName  = NewString(Attribute{Name: "name"})
	testMode  = NewString(Attribute{Name: "mode", Default: "fast"})
	testOn    = NewBool(Attribute{Name: "on", Default: "true"})
	testCount = NewInt(Attribute{Name: "count", Default: "3"})
	testWait  = NewDuration(Attribute{Name: "wait"})
	testTags  = NewStringMap(Attribute{Name: "tags"})
	testItem  = NewNested(Block{Type: "item", Repeatable: true})
	testRoot  = &Block{Blocks: []*Block{{Type: "pipeline"}, {Type: "step"}}}
)

func TestHandlesDeclareTheirType(t *testing.T) {
	for _, c := range []struct {
		a    *Attribute
		typ  string
		form Format
	}{
		{testName.Attribute, "string", ""}, {testOn.Attribute, "bool", ""}, {testCount.Attribute, "number", FormatInteger},
		{testWait.Attribute, "string", FormatDuration}, {testTags.Attribute, "map(string)", ""},
	} {
		if c.a.Type != c.typ || c.a.Format != c.form {
			t.Errorf("%s: type %q format %q, want %q %q", c.a.Name, c.a.Type, c.a.Format, c.typ, c.form)
		}
	}
}

func TestHandlesRead(t *testing.T) {
	r := ir.Range{Filename: "p.wurzel.hcl", Start: ir.Pos{Line: 3}}
	b := &ir.Block{Type: "x", Attrs: map[string]*ir.Value{
		"name":  {Value: "n", Range: r},
		"on":    {Value: false, Range: r},
		"count": {Value: int64(3), Range: r, Default: true},
		"wait":  {Value: "90s", Range: r},
		"tags":  {Value: map[string]string{"a": "b"}, Range: r, Keys: map[string]ir.Range{"a": r}},
	}, Blocks: map[string][]*ir.Block{"item": {{Type: "item"}, {Type: "item"}}}}
	if got := testName.Get(b); got.Value != "n" || !got.Set || got.Range != r {
		t.Errorf("name %+v", got)
	}
	if got := testOn.Get(b); got.Value || !got.Set {
		t.Errorf("a written false must read as false, set: %+v", got)
	}
	if got := testCount.Get(b); got.Value != 3 || got.Set {
		t.Errorf("a default reads as not set: %+v", got)
	}
	if got := testWait.Get(b); got.Value != 90*time.Second {
		t.Errorf("wait %+v", got)
	}
	if got := testTags.Get(b); got.Value["a"] != "b" || got.Ranges.Key("a") != r {
		t.Errorf("tags %+v", got)
	}
	if n := len(testItem.All(b)); n != 2 {
		t.Errorf("%d items", n)
	}
	// Without a block, or without the attribute, a handle reads the
	// schema's default, unset.
	if got := testMode.Get(nil); got.Value != "fast" || got.Set {
		t.Errorf("default of a missing block %+v", got)
	}
	if got := testOn.Get(&ir.Block{}); !got.Value || got.Set {
		t.Errorf("default of a missing attribute %+v", got)
	}
}

func TestExtend(t *testing.T) {
	ext := &Block{Type: "argo", Blocks: []*Block{{Type: "cron"}}}
	root := Extend(testRoot, "argo", []Extension{{Parent: "step", Block: ext}})
	got := root.Lookup("step", "argo", "cron")
	if got == nil || got.Owner != "argo" || root.Lookup("step", "argo").Owner != "argo" {
		t.Fatalf("extension not nested and owned: %+v", root.Lookup("step"))
	}
	if testRoot.Lookup("step", "argo") != nil || ext.Owner != "" {
		t.Errorf("Extend changed its input")
	}
	if root.Lookup("pipeline", "argo") != nil {
		t.Errorf("extension nested in the wrong parent")
	}
}

func TestDefaultValue(t *testing.T) {
	for _, c := range []struct {
		a    Attribute
		want any
		ok   bool
	}{
		{Attribute{Type: "bool", Default: "false"}, false, true},
		{Attribute{Type: "bool", Default: "maybe"}, false, false},
		{Attribute{Type: "number", Format: FormatInteger, Default: "7"}, int64(7), true},
		{Attribute{Type: "number", Default: "0.5"}, 0.5, true},
		{Attribute{Type: "string"}, nil, false},
	} {
		got, ok := c.a.DefaultValue()
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("%+v: %v %v, want %v %v", c.a, got, ok, c.want, c.ok)
		}
	}
}

func TestFormats(t *testing.T) {
	good := map[Format][]string{
		FormatDuration: {"90s", "2h30m"}, FormatCron: {"0 3 * * *", "*/5 * * * 1-5", "@daily", "@every 90m", "0 0 1 JAN *"},
		FormatTimezone: {"UTC", "Europe/Berlin", "Asia/Kolkata"},
		FormatQuantity: {"500m", "2Gi"}, FormatPath: {"out/x", "a"}, FormatEnv: {"A_1", "_x"},
	}
	bad := map[Format][]string{
		FormatDuration: {"2 hours", "0s", "-1s"}, FormatCron: {"", "* * * *", "0 0 * * * *", "61 * * * *", "@sometimes"},
		FormatTimezone: {"Local", "Mars/Base", "europe/berlin!"},
		FormatQuantity: {"+1", "2 GB"}, FormatPath: {"", "/abs", "../x", ".", "C:x"}, FormatEnv: {"1A", "A-B"},
	}
	for f, vals := range good {
		for _, v := range vals {
			if err := f.Check(v); err != nil {
				t.Errorf("%s %q: %v", f, v, err)
			}
		}
	}
	for f, vals := range bad {
		for _, v := range vals {
			if f.Check(v) == nil {
				t.Errorf("%s %q accepted", f, v)
			}
		}
	}
}
