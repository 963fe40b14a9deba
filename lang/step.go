package lang

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// stepBlock is a decoded `step "name" { ... }` block.
type stepBlock struct {
	decl    *Decl
	body    *decoded
	inputs  []*inputBlock
	outputs []*outputBlock
	// outputsByName holds the first output of each name.
	outputsByName map[string]*outputBlock
	ir            ir.Step
	// deps are the step's dependencies as written, resolved.
	deps []stepDep
}

type inputBlock struct {
	decl *Decl
	body *decoded
	ir   ir.Input
}

type outputBlock struct {
	decl *Decl
	body *decoded
	ir   ir.Output
}

// stepDep is one dependency of a step: a data edge from an input's from, or
// an order edge from depends_on.
type stepDep struct {
	step   string
	kind   ir.EdgeKind
	output string
	input  *inputBlock
	rng    hcl.Range
}

var (
	inputSchema     = stepSchema.Block("input")
	outputSchema    = stepSchema.Block("output")
	resourcesSchema = stepSchema.Block("resources")
	retrySchema     = stepSchema.Block("retry")
)

// decodeStepBlock decodes a step declaration with its inputs and outputs.
func (l *loader) decodeStepBlock(b *hcl.Block) {
	d := newDecl(DeclStep, b)
	body := l.decodeBody(b, l.root.Block("step"))
	if !l.declare(d) {
		return
	}
	l.checkName(DeclStep, d.Name, d.NameRange)
	sb := &stepBlock{decl: d, body: body, outputsByName: map[string]*outputBlock{}}
	for _, ib := range body.nested["input"] {
		id := newDecl(DeclInput, ib)
		id.Step = d.Name
		ibody := l.decodeBody(ib, inputSchema)
		if l.declare(id) {
			l.checkName(DeclInput, id.Name, id.NameRange)
			sb.inputs = append(sb.inputs, &inputBlock{decl: id, body: ibody})
		}
	}
	for _, ob := range body.nested["output"] {
		od := newDecl(DeclOutput, ob)
		od.Step = d.Name
		obody := l.decodeBody(ob, outputSchema)
		if l.declare(od) {
			l.checkName(DeclOutput, od.Name, od.NameRange)
			out := &outputBlock{decl: od, body: obody}
			sb.outputs = append(sb.outputs, out)
			sb.outputsByName[od.Name] = out
		}
	}
	l.steps[d.Name] = sb
	l.stepOrd = append(l.stepOrd, sb)
}

// evaluateStep evaluates a step's attributes and nested blocks into its IR.
func (l *loader) evaluateStep(sb *stepBlock, defaultImage string) {
	s := &sb.ir
	s.Name = sb.decl.Name
	s.Range = IRRange(sb.decl.DefRange)
	a := l.attrSet(sb.body.schema, sb.body.attrs, "")
	s.Description = a.strOr("description", "")
	s.Image = a.strOr("image", defaultImage)
	if cmd, ok := a.strList("command"); ok {
		if len(cmd) == 0 || cmd[0] == "" {
			r := a.rangeOf("command", sb.decl.DefRange)
			l.errorf(&r, "Empty command", "A step's command needs at least the program to run, as in [\"python3\", \"-m\", \"app\"].")
		}
		s.Command = cmd
	}
	if env, ranges, ok := a.strMap("env"); ok {
		s.Ranges.Env = a.mapRanges("env")
		s.Env = map[string]string{}
		for _, k := range sortedKeys(env) {
			if l.checkEnvName(k, ranges[k]) {
				s.Env[k] = env[k]
			}
		}
	}
	l.evaluateSettings(sb, a)
	s.Secrets, s.Ranges.Secrets = l.staticNames(sb, "secrets", DeclSecret)
	s.Volumes, s.Ranges.Volumes = l.staticNames(sb, "volumes", DeclVolume)
	l.evaluateDependsOn(sb)
	s.Timeout, _ = a.duration("timeout")
	l.evaluateWatch(sb, a)
	s.Ranges.Description = a.irRange("description")
	s.Ranges.Image = a.irRange("image")
	s.Ranges.Timeout = a.irRange("timeout")
	s.Ranges.Command = a.listRanges("command")
	for _, in := range sb.inputs {
		l.evaluateInput(sb, in)
		s.Inputs = append(s.Inputs, in.ir)
	}
	for _, out := range sb.outputs {
		l.evaluateOutput(out)
		s.Outputs = append(s.Outputs, out.ir)
	}
	l.checkStepPaths(sb)
	if rb := sb.body.one("resources"); rb != nil {
		s.Resources = l.evaluateResources(rb, &s.Ranges)
	}
	if rb := sb.body.one("retry"); rb != nil {
		s.Retry = l.evaluateRetry(rb, &s.Ranges)
	}
	s.Extensions = l.evaluateExtensions(sb.body)
	l.checkExecLimits(s)
}

var settingKeyRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// envPart upper-cases a name and replaces "-" by "_", as the settings
// convention asks.
func envPart(s string) string {
	return strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
}

// evaluateSettings turns the settings map into <STEP>__<KEY> variables.
func (l *loader) evaluateSettings(sb *stepBlock, a *attrSet) {
	s := &sb.ir
	at := sb.body.attrs["settings"]
	if at == nil {
		return
	}
	type entry struct {
		key string
		val cty.Value
		r   hcl.Range
	}
	var entries []entry
	s.Ranges.Settings = ir.MapRanges{Range: IRRange(at.Expr.Range()), Keys: map[string]ir.Range{}}
	if items, ok := l.objectItems(at.Expr); ok || items != nil {
		for _, it := range items {
			r := it.value.Range()
			s.Ranges.Settings.Keys[it.key] = IRRange(r)
			if v, ok := a.itemValue("settings", strconv.Quote(it.key), it.value); ok {
				entries = append(entries, entry{it.key, v, r})
			}
		}
	} else {
		v, ok := a.value("settings")
		if !ok {
			return
		}
		if !v.Type().IsObjectType() && !v.Type().IsMapType() {
			r := at.Expr.Range()
			l.errorf(&r, "Incorrect attribute value type", "Inappropriate value for attribute \"settings\": a map of setting names to values is required, not %s.", v.Type().FriendlyName())
			return
		}
		ranges := l.keyRanges(at.Expr)
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			key := k.AsString()
			r, ok := ranges[key]
			if ok {
				s.Ranges.Settings.Keys[key] = IRRange(r)
			} else {
				r = at.Expr.Range()
			}
			entries = append(entries, entry{key, ev, r})
		}
	}
	byEnv := map[string]string{}
	for _, e := range entries {
		key, r := e.key, e.r
		if !settingKeyRE.MatchString(key) {
			l.errorf(&r, "Invalid setting name", "The setting %q cannot become an environment variable name: use letters, digits, \"_\" and \"-\", starting with a letter.", key)
			continue
		}
		env := envPart(s.Name) + "__" + envPart(key)
		if prev, dup := byEnv[env]; dup {
			l.errorf(&r, "Duplicate setting", "The settings %q and %q both become the environment variable %s.", prev, key, env)
			continue
		}
		byEnv[env] = key
		if _, clash := s.Env[env]; clash {
			l.errorf(&r, "Setting clashes with env", "The setting %q becomes the environment variable %s, which env also sets. Remove one of them.", key, env)
			continue
		}
		text, err := settingText(e.val)
		if err != nil {
			l.errorf(&r, "Invalid setting value", "The setting %q: %s.", key, err)
			continue
		}
		s.Settings = append(s.Settings, ir.Setting{Key: key, EnvName: env, Value: text})
	}
	sortSettings(s.Settings)
}

// settingText renders a setting value: strings as they are, numbers and
// bools as text, lists and maps as compact JSON with sorted keys.
func settingText(v cty.Value) (string, error) {
	if v.IsNull() {
		return "", fmt.Errorf("the value must not be null")
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), nil
	case cty.Number:
		return numberText(v.AsBigFloat()), nil
	case cty.Bool:
		if v.True() {
			return "true", nil
		}
		return "false", nil
	}
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func sortSettings(s []ir.Setting) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Key < s[j-1].Key; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// refExprs reads a list attribute of static references; in JSON syntax a
// list of strings.
func (l *loader) refExprs(at *hcl.Attribute) []hcl.Traversal {
	exprs, diags := hcl.ExprList(at.Expr)
	if diags.HasErrors() {
		r := at.Expr.Range()
		l.errorf(&r, "Invalid reference list", "%q must be a list of references written out, as in [%s.name].", at.Name, refExample(at.Name))
		return nil
	}
	var out []hcl.Traversal
	for _, e := range exprs {
		t, diags := l.absTraversal(e)
		if diags.HasErrors() {
			r := e.Range()
			l.errorf(&r, "Invalid reference", "The elements of %q must be static references, as in %s.name; they cannot be computed.", at.Name, refExample(at.Name))
			continue
		}
		out = append(out, t)
	}
	return out
}

func refExample(attr string) string {
	switch attr {
	case "secrets":
		return "secret"
	case "volumes":
		return "volume"
	}
	return "step"
}

// staticNames resolves the `secrets` or `volumes` list of a step, and says
// where the list was written.
func (l *loader) staticNames(sb *stepBlock, attr string, kind DeclKind) ([]string, ir.ListRanges) {
	at := sb.body.attrs[attr]
	if at == nil {
		return nil, ir.ListRanges{}
	}
	ranges := ir.ListRanges{Range: IRRange(at.Expr.Range())}
	var names []string
	seen := map[string]bool{}
	for _, t := range l.refExprs(at) {
		rng := t.SourceRange()
		name, _, ok := traversalName(t, 1)
		if t.RootName() != string(kind) || !ok || len(t) != 2 {
			if ok && isDeclKindRoot(t.RootName()) {
				l.recordStaticRef(t)
			}
			l.errorf(&rng, "Invalid reference", "%q lists %ss, as in %s.name; %s is not one.", attr, kind, kind, traversalString(t))
			continue
		}
		ref := l.addRef(t, 1, kind, "", name)
		if ref.Decl == nil {
			l.errorf(&rng, "Reference to undeclared "+string(kind), "There is no %s named %q.%s", kind, name, didYouMean(name, l.namesOf(kind)))
			continue
		}
		l.used[declKey{kind, name}] = true
		if seen[name] {
			l.errorf(&rng, "Duplicate reference", "%s.%s is listed twice in %q.", kind, name, attr)
			continue
		}
		seen[name] = true
		names = append(names, name)
	}
	return sortStrings(names), ranges
}

func isDeclKindRoot(root string) bool {
	switch root {
	case "step", "secret", "volume", "var", "local":
		return true
	}
	return false
}

// resolveStepRef resolves step.X or step.X.output.Y; wantOutput requires the
// output form. It returns the step and output names (output empty for a
// step reference).
func (l *loader) resolveStepRef(t hcl.Traversal, attr string, wantOutput bool) (string, string, bool) {
	rng := t.SourceRange()
	form := "step.<step> or step.<step>.output.<output>"
	if wantOutput {
		form = "step.<step>.output.<output>"
	}
	name, _, ok := traversalName(t, 1)
	if t.RootName() != "step" || !ok {
		if ok && isDeclKindRoot(t.RootName()) && t.RootName() != "var" && t.RootName() != "local" {
			l.recordStaticRef(t)
		}
		l.errorf(&rng, "Invalid reference", "%q must refer to a %s, as in %s; %s is not one.", attr, map[bool]string{true: "step output", false: "step"}[wantOutput], form, traversalString(t))
		return "", "", false
	}
	target := l.steps[name]
	if len(t) == 2 {
		l.addRef(t, 1, DeclStep, "", name)
		if target == nil {
			l.errorf(&rng, "Reference to undeclared step", "There is no step named %q.%s", name, didYouMean(name, l.namesOf(DeclStep)))
			return "", "", false
		}
		if wantOutput {
			l.errorf(&rng, "Missing output name", "%q needs a step output, as in step.%s.output.<output>.%s", attr, name, outputList(target))
			return "", "", false
		}
		return name, "", true
	}
	kw, _, ok2 := traversalName(t, 2)
	out, _, ok3 := traversalName(t, 3)
	if !ok2 || kw != "output" || !ok3 || len(t) != 4 {
		l.errorf(&rng, "Invalid reference", "%s is not a reference to a step or a step output: write %s.", traversalString(t), form)
		return "", "", false
	}
	if target == nil {
		l.addRef(t, 1, DeclStep, "", name)
		l.errorf(&rng, "Reference to undeclared step", "There is no step named %q.%s", name, didYouMean(name, l.namesOf(DeclStep)))
		return "", "", false
	}
	l.addRef(t, 3, DeclOutput, name, out)
	if target.outputsByName[out] == nil {
		l.errorf(&rng, "Reference to undeclared output", "Step %q has no output named %q.%s", name, out, outputSuggestion(target, out))
		return "", "", false
	}
	return name, out, true
}

func outputList(sb *stepBlock) string {
	if len(sb.outputs) == 0 {
		return fmt.Sprintf(" Step %q declares no outputs.", sb.decl.Name)
	}
	var names []string
	for _, o := range sb.outputs {
		names = append(names, o.decl.Name)
	}
	return fmt.Sprintf(" Its outputs: %s.", strings.Join(names, ", "))
}

func outputSuggestion(sb *stepBlock, out string) string {
	var names []string
	for _, o := range sb.outputs {
		names = append(names, o.decl.Name)
	}
	if s := didYouMean(out, names); s != "" {
		return s
	}
	return outputList(sb)
}

// evaluateDependsOn resolves depends_on: steps (or step outputs, meaning
// their step) that must finish first.
func (l *loader) evaluateDependsOn(sb *stepBlock) {
	at := sb.body.attrs["depends_on"]
	if at == nil {
		return
	}
	sb.ir.Ranges.DependsOn = ir.ListRanges{Range: IRRange(at.Expr.Range())}
	seen := map[string]bool{}
	for _, t := range l.refExprs(at) {
		name, _, ok := l.resolveStepRef(t, "depends_on", false)
		if !ok {
			continue
		}
		if seen[name] {
			rng := t.SourceRange()
			l.errorf(&rng, "Duplicate reference", "step.%s is listed twice in depends_on.", name)
			continue
		}
		seen[name] = true
		sb.ir.DependsOn = append(sb.ir.DependsOn, name)
		sb.deps = append(sb.deps, stepDep{step: name, kind: ir.OrderEdge, rng: t.SourceRange()})
	}
	sortStrings(sb.ir.DependsOn)
}

// evaluateWatch checks the watch paths; a missing one is a warning, since it
// may be created before the run.
func (l *loader) evaluateWatch(sb *stepBlock, a *attrSet) {
	paths, ok := a.strList("watch")
	if !ok {
		return
	}
	sb.ir.Ranges.Watch = a.listRanges("watch")
	for i, p := range paths {
		r := HCLRange(sb.ir.Ranges.Watch.Elem(i).Or(IRRange(sb.decl.DefRange)))
		if !l.checkRelPath(p, "watch path", r) {
			continue
		}
		if _, err := os.Stat(filepath.Join(l.absDir, filepath.FromSlash(p))); err != nil {
			l.warnf(&r, "Watched path does not exist", "%s does not exist in the pipeline directory (yet).", p)
		}
		sb.ir.Watch = append(sb.ir.Watch, path.Clean(p))
	}
	sb.ir.Watch = sortedCopy(sb.ir.Watch)
}

// evaluateInput evaluates one input: exactly one of source and from, a path
// (default inputs/<name>) and an optional type.
func (l *loader) evaluateInput(sb *stepBlock, in *inputBlock) {
	i := &in.ir
	i.Name = in.decl.Name
	i.Range = IRRange(in.decl.DefRange)
	a := l.attrSet(inputSchema, in.body.attrs, "")
	i.Ranges = ir.InputRanges{From: a.irRange("from"), Source: a.irRange("source"), Path: a.irRange("path"), Type: a.irRange("type")}
	hasFrom, hasSource := a.has("from"), a.has("source")
	switch {
	case hasFrom && hasSource:
		r := in.body.attrs["source"].NameRange
		l.errorf(&r, "Conflicting input source", "Input %q has both from and source: give exactly one.", i.Name)
	case !hasFrom && !hasSource:
		l.errorf(&in.decl.DefRange, "Missing input source", "Input %q needs exactly one of from (another step's output) and source (an outside address).", i.Name)
	}
	if hasSource {
		if src, ok := a.str("source"); ok {
			if src == "" {
				r := a.rangeOf("source", in.decl.DefRange)
				l.errorf(&r, "Invalid source", "The source must not be empty.")
			}
			i.Source = src
		}
	}
	if hasFrom {
		at := in.body.attrs["from"]
		if t, diags := l.absTraversal(at.Expr); diags.HasErrors() {
			r := at.Expr.Range()
			l.errorf(&r, "Invalid reference", "from must be a static reference to a step output, as in step.<step>.output.<output>; it cannot be computed.")
		} else if step, out, ok := l.resolveStepRef(t, "from", true); ok {
			i.From = &ir.OutputRef{Step: step, Output: out}
			sb.deps = append(sb.deps, stepDep{step: step, kind: ir.DataEdge, output: out, input: in, rng: t.SourceRange()})
		}
	}
	i.Path = "inputs/" + i.Name
	if p, ok := a.str("path"); ok && l.checkRelPath(p, "input path", a.rangeOf("path", in.decl.DefRange)) {
		i.Path = path.Clean(p)
	}
	i.Type = a.strOr("type", "")
}

// evaluateOutput evaluates one output: its path and optional type.
func (l *loader) evaluateOutput(out *outputBlock) {
	o := &out.ir
	o.Name = out.decl.Name
	o.Range = IRRange(out.decl.DefRange)
	a := l.attrSet(outputSchema, out.body.attrs, "")
	o.Ranges = ir.OutputRanges{Path: a.irRange("path"), Type: a.irRange("type"), Kind: a.irRange("kind")}
	p, ok := a.str("path")
	if ok && l.checkRelPath(p, "output path", a.rangeOf("path", out.decl.DefRange)) {
		o.Path = path.Clean(p)
	}
	o.Kind = l.outputKind(a, p, out.decl.DefRange)
	o.Type = a.strOr("type", "")
}

// outputKind is what the declaration says the output is: its kind, or a
// directory when the path ends in "/", else a file. A name is never
// guessed from: "out/model" is a file unless declared otherwise.
func (l *loader) outputKind(a *attrSet, p string, def hcl.Range) ir.OutputKind {
	slash := strings.HasSuffix(p, "/")
	if !a.has("kind") {
		if slash {
			return ir.OutputDir
		}
		return ir.OutputFile
	}
	kind, ok := a.enum("kind")
	if !ok {
		return ir.OutputFile
	}
	if slash && kind == string(ir.OutputFile) {
		r := a.rangeOf("kind", def)
		l.errorf(&r, "Conflicting output kind", "The output's path %q ends in \"/\", which declares a directory, but kind is \"file\". Remove the \"/\" or the kind.", p)
	}
	return ir.OutputKind(kind)
}

// checkStepPaths reports inputs and outputs of one step at the same or
// nested paths: they would overwrite each other in the work directory. It
// looks up each path's ancestors in a map, so a step with thousands of
// inputs stays cheap.
func (l *loader) checkStepPaths(sb *stepBlock) {
	type entry struct {
		decl *Decl
		p    string
		body *decoded
	}
	all := make([]entry, 0, len(sb.inputs)+len(sb.outputs))
	for _, in := range sb.inputs {
		if in.ir.Path != "" {
			all = append(all, entry{in.decl, in.ir.Path, in.body})
		}
	}
	for _, out := range sb.outputs {
		if out.ir.Path != "" {
			all = append(all, entry{out.decl, out.ir.Path, out.body})
		}
	}
	if len(all) < 2 {
		return
	}
	first := make(map[string]int, len(all))
	for i, e := range all {
		if _, ok := first[e.p]; !ok {
			first[e.p] = i
		}
	}
	// conflict[j] is an earlier entry that entry j collides with.
	conflict := map[int]int{}
	for j, e := range all {
		if i := first[e.p]; i != j {
			conflict[j] = i
			continue
		}
		for a := path.Dir(e.p); a != "." && a != "/"; a = path.Dir(a) {
			if i, ok := first[a]; ok {
				later, earlier := max(i, j), min(i, j)
				if _, seen := conflict[later]; !seen {
					conflict[later] = earlier
				}
				break
			}
		}
	}
	for j := range all {
		i, ok := conflict[j]
		if !ok {
			continue
		}
		rel := "the same path"
		if all[i].p != all[j].p {
			rel = "nested paths"
		}
		rj := all[j].body.exprRange("path", all[j].decl.DefRange)
		ri := all[i].body.exprRange("path", all[i].decl.DefRange)
		l.errorf(&rj, "Overlapping paths", "The %s %q (%s) and the %s %q (%s, %s) of step %q are at %s; each needs its own place in the work directory.",
			all[j].decl.Kind, all[j].decl.Name, all[j].p, all[i].decl.Kind, all[i].decl.Name, all[i].p, posString(ri), sb.decl.Name, rel)
	}
}

// evaluateResources decodes `resources { ... }`.
func (l *loader) evaluateResources(b *hcl.Block, ranges *ir.StepRanges) ir.Resources {
	body := l.decodeBody(b, resourcesSchema)
	a := l.attrSet(resourcesSchema, body.attrs, "resources.")
	ranges.CPU, ranges.Memory = a.irRange("cpu"), a.irRange("memory")
	ranges.EphemeralStorage, ranges.GPU = a.irRange("ephemeral_storage"), a.irRange("gpu")
	var r ir.Resources
	r.CPU, _ = a.quantity("cpu")
	r.Memory, _ = a.quantity("memory")
	r.EphemeralStorage, _ = a.quantity("ephemeral_storage")
	ranges.CPULimit, ranges.MemoryLimit = a.irRange("cpu_limit"), a.irRange("memory_limit")
	ranges.EphemeralStorageLimit = a.irRange("ephemeral_storage_limit")
	r.CPULimit, _ = a.quantity("cpu_limit")
	r.MemoryLimit, _ = a.quantity("memory_limit")
	r.EphemeralStorageLimit, _ = a.quantity("ephemeral_storage_limit")
	if n, ok := a.integer("gpu", 0, 1024); ok {
		r.GPU = int(n)
	}
	return r
}

// evaluateRetry decodes `retry { ... }`.
func (l *loader) evaluateRetry(b *hcl.Block, ranges *ir.StepRanges) *ir.Retry {
	body := l.decodeBody(b, retrySchema)
	a := l.attrSet(retrySchema, body.attrs, "retry.")
	ranges.RetryAttempts = a.irRange("attempts")
	r := &ir.Retry{Policy: ir.RetryOnFailure}
	if n, ok := a.integer("attempts", 0, 100); ok {
		r.Attempts = int(n)
	}
	r.Backoff, _ = a.duration("backoff")
	if n, ok := a.integer("factor", 0, math.MaxInt32); ok {
		r.Factor = int(n)
	}
	r.MaxBackoff, _ = a.duration("max_backoff")
	if p, ok := a.enum("policy"); ok {
		r.Policy = ir.RetryPolicy(p)
	}
	if r.MaxBackoff > 0 && r.Backoff > r.MaxBackoff {
		rg := a.rangeOf("max_backoff", b.DefRange)
		l.errorf(&rg, "Invalid retry", "max_backoff (%s) is shorter than backoff (%s).", r.MaxBackoff, r.Backoff)
	}
	return r
}

// numberText renders a number in plain decimal notation. Whole numbers and
// numbers a float64 holds exactly take the fast path: big.Float's shortest
// formatting at cty's precision is slow enough to matter for large pipelines.
func numberText(f *big.Float) string { return spec.FormatNumber(f) }

// absTraversal reads a static reference. In JSON syntax hcl parses the
// string's content with positions starting at its opening quote; the ranges
// are moved one character right so that they cover the reference itself.
func (l *loader) absTraversal(expr hcl.Expression) (hcl.Traversal, hcl.Diagnostics) {
	t, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(t) == 0 {
		return t, diags
	}
	r := expr.Range()
	f := l.files[r.Filename]
	if f == nil || r.Start.Byte >= len(f.Bytes) || f.Bytes[r.Start.Byte] != '"' || t.SourceRange().Start.Byte != r.Start.Byte {
		return t, diags
	}
	shift := func(rg hcl.Range) hcl.Range {
		rg.Start.Byte++
		rg.Start.Column++
		rg.End.Byte++
		rg.End.Column++
		return rg
	}
	out := make(hcl.Traversal, len(t))
	for i, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			s.SrcRange = shift(s.SrcRange)
			out[i] = s
		case hcl.TraverseAttr:
			s.SrcRange = shift(s.SrcRange)
			out[i] = s
		case hcl.TraverseIndex:
			s.SrcRange = shift(s.SrcRange)
			out[i] = s
		default:
			out[i] = step
		}
	}
	return out, diags
}
