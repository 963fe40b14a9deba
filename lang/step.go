package lang

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/wurzel-dev/wurzel/internal/lazyre"
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
	// forEach is the for_each attribute; nil for a step without.
	forEach *hcl.Attribute
	// instances are the steps the block makes: one for a block without
	// for_each, one per key in key order with it.
	instances []*stepNode
	// byKey finds an instance by its key.
	byKey map[string]*stepNode
	// broken is set when for_each could not be evaluated or gave keys
	// that cannot name instances (reported there): references to the
	// block's instances are not checked.
	broken bool
}

type inputBlock struct {
	decl *Decl
	body *decoded
}

type outputBlock struct {
	decl *Decl
	body *decoded
}

// stepNode is one step of the pipeline's graph: a step block without
// for_each, or one instance of a block with it.
type stepNode struct {
	block *stepBlock
	// each is the value of each (an object with key and value) in the
	// attributes of an instance; cty.NilVal for a block without for_each.
	each cty.Value
	ir   ir.Step
	// deps are the step's dependencies as written, resolved.
	deps []stepDep
}

// stepDep is one dependency of a step: a data edge from an input's from, or
// an order edge from depends_on.
type stepDep struct {
	// step is the name of the step depended on (an instance's name for an
	// instance).
	step   string
	kind   ir.EdgeKind
	output string
	// input is the index of the consuming input in its block; -1 for an
	// order edge.
	input int
	rng   hcl.Range
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
	sb := &stepBlock{decl: d, body: body, outputsByName: map[string]*outputBlock{}, forEach: body.attrs["for_each"]}
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

// evaluateStep evaluates the attributes and nested blocks of a step, or of
// one instance with its each in scope, into its IR. pipelineEnv is the
// pipeline's env with its ranges.
func (l *loader) evaluateStep(n *stepNode, defaultImage string, pipelineEnv map[string]string, pipelineEnvRanges ir.MapRanges) {
	sb := n.block
	if n.each != cty.NilVal {
		defer l.enterInstance(n.each)()
	}
	s := &n.ir
	s.Range = IRRange(sb.decl.DefRange)
	a := l.attrSet(sb.body.schema, sb.body.attrs, "")
	if sb.forEach != nil {
		s.Ranges.ForEach = IRRange(sb.forEach.Expr.Range())
	}
	s.Description = a.strOr("description", "")
	s.Image = a.strOr("image", defaultImage)
	if cmd, ok := a.strList("command"); ok {
		if len(cmd) == 0 || cmd[0] == "" {
			r := a.rangeOf("command", sb.decl.DefRange)
			l.errorf(&r, "Empty command", "A step's command needs at least the program to run, as in [\"python3\", \"-m\", \"app\"].")
		}
		s.Command = cmd
	}
	l.evaluateEnv(n, a, pipelineEnv, pipelineEnvRanges)
	l.evaluateSettings(n, a)
	s.Secrets, s.Ranges.Secrets = l.staticNames(sb, "secrets", DeclSecret)
	s.Volumes, s.Ranges.Volumes = l.staticNames(sb, "volumes", DeclVolume)
	l.evaluateDependsOn(n)
	s.Timeout, _ = a.duration("timeout")
	s.AlwaysRun, _ = a.boolean("always_run")
	l.evaluateWatch(n, a)
	s.Ranges.Description = a.irRange("description")
	s.Ranges.Image = a.irRange("image")
	s.Ranges.Timeout = a.irRange("timeout")
	s.Ranges.AlwaysRun = a.irRange("always_run")
	s.Ranges.Command = a.listRanges("command")
	for i, in := range sb.inputs {
		s.Inputs = append(s.Inputs, l.evaluateInput(n, i, in))
	}
	for _, out := range sb.outputs {
		s.Outputs = append(s.Outputs, l.evaluateOutput(out))
	}
	l.checkStepPaths(n)
	if rb := sb.body.one("resources"); rb != nil {
		s.Resources = l.evaluateResources(rb, &s.Ranges)
	}
	if rb := sb.body.one("retry"); rb != nil {
		s.Retry = l.evaluateRetry(rb, &s.Ranges)
	}
	s.Extensions = l.evaluateExtensions(sb.body)
	l.checkExecLimits(s)
}

// evaluateEnv sets the step's env: the pipeline's, with the step's own
// entries over it.
func (l *loader) evaluateEnv(n *stepNode, a *attrSet, pipelineEnv map[string]string, pipelineRanges ir.MapRanges) {
	s := &n.ir
	env, ranges, ok := a.strMap("env")
	if !ok && len(pipelineEnv) == 0 {
		return
	}
	s.Env = make(map[string]string, len(pipelineEnv)+len(env))
	s.Ranges.Env = a.mapRanges("env")
	for k, v := range pipelineEnv {
		s.Env[k] = v
		if r, written := pipelineRanges.Keys[k]; written {
			if s.Ranges.Env.Keys == nil {
				s.Ranges.Env.Keys = map[string]ir.Range{}
			}
			if _, own := env[k]; !own {
				s.Ranges.Env.Keys[k] = r
			}
		}
	}
	for _, k := range sortedKeys(env) {
		if l.checkEnvName(k, ranges[k]) {
			s.Env[k] = env[k]
		}
	}
	if s.Ranges.Env.Range.IsZero() {
		s.Ranges.Env.Range = pipelineRanges.Range
	}
}

var settingKeyRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// envPart upper-cases a name and replaces "-" by "_", as the settings
// convention asks.
func envPart(s string) string {
	return strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
}

// evaluateSettings turns the settings map into <STEP>__<KEY> variables,
// named after the step block, so that one program serves every instance.
func (l *loader) evaluateSettings(n *stepNode, a *attrSet) {
	sb := n.block
	s := &n.ir
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
		env := envPart(sb.decl.Name) + "__" + envPart(key)
		if prev, dup := byEnv[env]; dup {
			l.errorf(&r, "Duplicate setting", "The settings %q and %q both become the environment variable %s.", prev, key, env)
			continue
		}
		byEnv[env] = key
		if _, clash := s.Env[env]; clash {
			l.errorf(&r, "Setting clashes with env", "The setting %q becomes the environment variable %s, which env (of the step or the pipeline) also sets. Remove one of them.", key, env)
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

// refElems returns the elements of a list attribute of references written
// out; in JSON syntax a list of strings.
func (l *loader) refElems(at *hcl.Attribute) []hcl.Expression {
	exprs, diags := hcl.ExprList(at.Expr)
	if diags.HasErrors() {
		r := at.Expr.Range()
		l.errorf(&r, "Invalid reference list", "%q must be a list of references written out, as in [%s.name].", at.Name, refExample(at.Name))
		return nil
	}
	return exprs
}

// refExprs reads a list attribute of static references.
func (l *loader) refExprs(at *hcl.Attribute) []hcl.Traversal {
	var out []hcl.Traversal
	for _, e := range l.refElems(at) {
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
// their step) that must finish first. A block with for_each means every
// instance, unless the reference picks one.
func (l *loader) evaluateDependsOn(n *stepNode) {
	at := n.block.body.attrs["depends_on"]
	if at == nil {
		return
	}
	s := &n.ir
	s.Ranges.DependsOn = ir.ListRanges{Range: IRRange(at.Expr.Range())}
	seen := map[string]bool{}
	for _, e := range l.refElems(at) {
		ref, ok := l.parseStepRef(e)
		if !ok {
			r := e.Range()
			l.errorf(&r, "Invalid reference", "The elements of \"depends_on\" must be references to steps, as in step.name, step.name[\"key\"] or step.name[*]; they cannot be computed.")
			continue
		}
		res, ok := l.resolveStepRef(ref, "depends_on", false)
		if !ok {
			continue
		}
		for _, dep := range res.nodes {
			name := dep.ir.Name
			if seen[name] {
				l.errorf(&ref.rng, "Duplicate reference", "%s is listed twice in depends_on.", refName(ref, dep))
				continue
			}
			seen[name] = true
			s.DependsOn = append(s.DependsOn, name)
			n.deps = append(n.deps, stepDep{step: name, kind: ir.OrderEdge, input: -1, rng: ref.rng})
		}
	}
	sortStrings(s.DependsOn)
}

// refName says which step a reference led to, for messages.
func refName(ref stepRef, n *stepNode) string {
	if n.each == cty.NilVal {
		return "step." + n.block.decl.Name
	}
	return fmt.Sprintf("step.%s[%q]", n.block.decl.Name, n.ir.Instance.Key)
}

// evaluateWatch checks the watch paths; a missing one is a warning, since it
// may be created before the run.
func (l *loader) evaluateWatch(n *stepNode, a *attrSet) {
	paths, ok := a.strList("watch")
	if !ok {
		return
	}
	s := &n.ir
	s.Ranges.Watch = a.listRanges("watch")
	for i, p := range paths {
		r := HCLRange(s.Ranges.Watch.Elem(i).Or(IRRange(n.block.decl.DefRange)))
		if !l.checkRelPath(p, "watch path", r) {
			continue
		}
		full := filepath.Join(l.absDir, filepath.FromSlash(p))
		if _, err := os.Stat(full); err != nil {
			l.warnf(&r, "Watched path does not exist", "%s does not exist in the pipeline directory (yet).", p)
		} else {
			l.external.exists(full)
		}
		s.Watch = append(s.Watch, path.Clean(p))
	}
	s.Watch = sortedCopy(s.Watch)
}

// evaluateInput evaluates input idx of a step: exactly one of source and
// from, a path (default inputs/<name>) and an optional type.
func (l *loader) evaluateInput(n *stepNode, idx int, in *inputBlock) ir.Input {
	var i ir.Input
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
		l.evaluateFrom(n, idx, in, &i)
	}
	i.Path = "inputs/" + i.Name
	if p, ok := a.str("path"); ok && l.checkRelPath(p, "input path", a.rangeOf("path", in.decl.DefRange)) {
		i.Path = path.Clean(p)
	}
	i.Type = a.strOr("type", "")
	return i
}

// evaluateFrom resolves an input's from: one step output, or, with [*],
// the output of every instance of a block with for_each.
func (l *loader) evaluateFrom(n *stepNode, idx int, in *inputBlock, i *ir.Input) {
	at := in.body.attrs["from"]
	ref, ok := l.parseStepRef(at.Expr)
	if !ok {
		r := at.Expr.Range()
		l.errorf(&r, "Invalid reference", "from must be a reference to a step output, as in step.<step>.output.<output> (or step.<step>[\"<key>\"].output.<output>, step.<step>[*].output.<output> for a step with for_each); it cannot be computed.")
		return
	}
	res, ok := l.resolveStepRef(ref, "from", true)
	if !ok {
		return
	}
	for _, p := range res.nodes {
		n.deps = append(n.deps, stepDep{step: p.ir.Name, kind: ir.DataEdge, output: res.output, input: idx, rng: ref.rng})
	}
	if !res.fanIn {
		i.From = &ir.OutputRef{Step: res.nodes[0].ir.Name, Output: res.output}
		return
	}
	fan := &ir.FanIn{Step: res.block.decl.Name, Output: res.output}
	for _, p := range res.nodes {
		fan.Instances = append(fan.Instances, ir.FanInInstance{Key: p.ir.Instance.Key, Step: p.ir.Name})
	}
	i.FanIn = fan
}

// evaluateOutput evaluates one output: its path and optional type.
func (l *loader) evaluateOutput(out *outputBlock) ir.Output {
	var o ir.Output
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
	return o
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
func (l *loader) checkStepPaths(n *stepNode) {
	type entry struct {
		decl *Decl
		p    string
		body *decoded
	}
	sb := n.block
	all := make([]entry, 0, len(sb.inputs)+len(sb.outputs))
	for i, in := range sb.inputs {
		if p := n.ir.Inputs[i].Path; p != "" {
			all = append(all, entry{in.decl, p, in.body})
		}
	}
	for i, out := range sb.outputs {
		if p := n.ir.Outputs[i].Path; p != "" {
			all = append(all, entry{out.decl, p, out.body})
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
func numberText(f *big.Float) string {
	return spec.FormatNumber(f)
}
