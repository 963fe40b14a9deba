package lang

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/wurzel-dev/wurzel/schema"
)

// loader holds the state of loading one pipeline. Its phases run in order:
// parse, decode (declarations), variables, locals, evaluate blocks, resolve
// references and the step graph, build the IR.
type loader struct {
	dir    string
	absDir string
	opts   Options
	// root is the language the files are decoded against: Schema with the
	// back ends' blocks (Options.Schema).
	root *schema.Block

	files map[string]*hcl.File
	// fileNames are the names (dir joined) of the parsed files, sorted.
	fileNames []string
	// unreadable counts the files not parsed for not being UTF-8: what they
	// declare is unknown, so a missing pipeline block is no news.
	unreadable int
	relNames   []string

	diags hcl.Diagnostics
	decls []*Decl
	refs  []*Ref
	// declIndex finds the first declaration of a kind and name; inputs and
	// outputs are keyed "step/name".
	declIndex map[declKey]*Decl

	pipelines []*pipelineBlock
	variables map[string]*variableBlock
	varOrder  []*variableBlock
	locals    map[string]*localDef
	localList []*localDef
	secrets   map[string]*secretBlock
	secretOrd []*secretBlock
	volumes   map[string]*volumeBlock
	volumeOrd []*volumeBlock
	steps     map[string]*stepBlock
	stepOrd   []*stepBlock
	// nodes are the steps of the graph by name (instances for blocks with
	// for_each), nodeOrd in declaration and key order.
	nodes   map[string]*stepNode
	nodeOrd []*stepNode

	// varValues and localValues are the evaluated values.
	varValues   map[string]cty.Value
	localValues map[string]cty.Value
	ctx         *hcl.EvalContext
	funcs       map[string]function.Function
	budget      *budget
	// each is the value of each while the attributes of an instance are
	// evaluated, cty.NilVal otherwise; inForEach is set while a for_each
	// is.
	each      cty.Value
	inForEach bool

	// used records variables, secrets and volumes referenced from
	// somewhere that counts as a use, keyed like declKey.
	used map[declKey]bool
	// external records the files outside the pipeline files the load
	// depends on (Options.RecordExternal); nil when not asked for.
	external *externalLog
}

type declKey struct {
	kind DeclKind
	name string
}

func newLoader(dir string, opts Options) *loader {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	root := opts.Schema
	if root == nil {
		root = Schema
	}
	return &loader{
		root:        root,
		dir:         dir,
		absDir:      abs,
		opts:        opts,
		files:       map[string]*hcl.File{},
		declIndex:   map[declKey]*Decl{},
		variables:   map[string]*variableBlock{},
		locals:      map[string]*localDef{},
		secrets:     map[string]*secretBlock{},
		volumes:     map[string]*volumeBlock{},
		steps:       map[string]*stepBlock{},
		varValues:   map[string]cty.Value{},
		localValues: map[string]cty.Value{},
		used:        map[declKey]bool{},
		budget:      newBudget(),
		external:    newExternalLog(opts.RecordExternal),
	}
}

// load runs every phase; each phase reports what it finds and goes on, so
// that one run shows as many problems as possible.
func (l *loader) load(sources map[string][]byte) {
	bodies := l.parse(sources)
	for _, b := range bodies {
		l.decodeFile(b)
	}
	l.checkPipelineCount()
	l.decodeVariableValues()
	l.evaluateLocals()
	l.buildEvalContext()
	l.evaluateBlocks()
	l.resolveGraph()
	l.checkUnused()
	l.analyzeRuntime()
}

func (l *loader) result() *Result {
	l.reportBudget()
	// The attributes of a step with for_each are evaluated once per
	// instance: what they report, and the references they record, repeat.
	l.diags = UniqueDiagnostics(l.diags)
	sort.SliceStable(l.decls, func(i, j int) bool { return rangeLess(l.decls[i].DefRange, l.decls[j].DefRange) })
	sort.SliceStable(l.refs, func(i, j int) bool { return rangeLess(l.refs[i].Range, l.refs[j].Range) })
	l.refs = uniqueRefs(l.refs)
	for _, sb := range l.stepOrd {
		if sb.forEach != nil && !sb.broken {
			sb.decl.Keys = sb.keys()
		}
	}
	res := &Result{Diagnostics: l.diags, Files: l.files, Decls: l.decls, Refs: l.refs, External: l.external.list()}
	if !l.diags.HasErrors() {
		l.setStepVariables()
		res.Pipeline = l.buildIR()
	}
	return res
}

// parse parses every source with the parser its suffix asks for, in name
// order, and returns the bodies to decode.
func (l *loader) parse(sources map[string][]byte) []hcl.Body {
	names := sortedKeys(sources)
	var bodies []hcl.Body
	for _, name := range names {
		filename := name
		if l.dir != "" && l.dir != "." {
			filename = filepath.Join(l.dir, name)
		}
		f, diags := l.parseFile(filename, sources[name])
		l.diags = append(l.diags, diags...)
		l.fileNames = append(l.fileNames, filename)
		l.relNames = append(l.relNames, filepath.ToSlash(name))
		if f != nil {
			l.files[filename] = f
			if f.Body != nil {
				bodies = append(bodies, f.Body)
			}
		}
	}
	if len(names) == 0 {
		l.errorf(nil, "No pipeline files", "There are no %s or %s files to load.", NativeSuffix, JSONSuffix)
	}
	if l.opts.Cache != nil {
		l.opts.Cache.keepOnly(l.dir, l.fileNames)
	}
	return bodies
}

// decodeFile decodes the top-level blocks of one file.
func (l *loader) decodeFile(body hcl.Body) {
	content, diags := body.Content(hclSchema(l.root))
	l.diags = append(l.diags, reviseUnsupported(diags, l.root)...)
	for _, b := range content.Blocks {
		switch b.Type {
		case "pipeline":
			l.decodePipelineBlock(b)
		case "variable":
			l.decodeVariableBlock(b)
		case "locals":
			l.decodeLocalsBlock(b)
		case "secret":
			l.decodeSecretBlock(b)
		case "volume":
			l.decodeVolumeBlock(b)
		case "step":
			l.decodeStepBlock(b)
		}
	}
}

// checkPipelineCount reports a missing pipeline block; duplicates are
// reported when they are declared.
func (l *loader) checkPipelineCount() {
	if len(l.pipelines) == 0 && len(l.fileNames) > 0 && l.unreadable == 0 {
		f := l.fileNames[0]
		r := hcl.Range{Filename: f, Start: hcl.InitialPos, End: hcl.InitialPos}
		l.errorf(&r, "Missing pipeline block", "A pipeline needs exactly one pipeline block, as in pipeline \"my-pipeline\" { ... }.")
	}
}

// declare records a declaration, reporting a duplicate of the same kind and
// name (in any file of the pipeline). It returns false for a duplicate.
func (l *loader) declare(d *Decl) bool {
	l.decls = append(l.decls, d)
	key := declKey{d.Kind, d.Name}
	if d.Step != "" {
		key.name = d.Step + "/" + d.Name
	}
	if prev, ok := l.declIndex[key]; ok {
		what := string(d.Kind)
		if d.Step != "" {
			what = fmt.Sprintf("%s of step %q", d.Kind, d.Step)
		}
		l.errorf(&d.DefRange, fmt.Sprintf("Duplicate %s", d.Kind),
			"A %s named %q was already declared at %s. Names must be unique.", what, d.Name, posString(prev.DefRange))
		return false
	}
	l.declIndex[key] = d
	return true
}

// lookupDecl finds a declaration; step is set for inputs and outputs.
func (l *loader) lookupDecl(kind DeclKind, step, name string) *Decl {
	key := declKey{kind, name}
	if step != "" {
		key.name = step + "/" + name
	}
	return l.declIndex[key]
}

// addRef records a reference occurrence written as traversal t, naming name
// at its part nameAt (and, for outputs, step at part 1).
func (l *loader) addRef(t hcl.Traversal, nameAt int, kind DeclKind, step, name string) *Ref {
	ref := &Ref{Kind: kind, Name: name, Step: step, Decl: l.lookupDecl(kind, step, name)}
	ref.NameRange = t[nameAt].SourceRange()
	ref.Range = hcl.RangeBetween(t[0].SourceRange(), ref.NameRange)
	if step != "" {
		ref.StepRange = t[1].SourceRange()
	}
	l.refs = append(l.refs, ref)
	return ref
}

// newDecl makes the declaration of a block whose first label is its name.
func newDecl(kind DeclKind, b *hcl.Block) *Decl {
	d := &Decl{Kind: kind, DefRange: b.DefRange, Range: blockRange(b)}
	if len(b.Labels) > 0 {
		d.Name = b.Labels[0]
		d.NameRange = b.LabelRanges[0]
	}
	return d
}

// blockRange is the range of a whole block, header to closing brace.
func blockRange(b *hcl.Block) hcl.Range {
	if sb, ok := b.Body.(*hclsyntax.Body); ok {
		return hcl.RangeBetween(b.DefRange, sb.SrcRange)
	}
	end := b.Body.MissingItemRange()
	if end.Filename != b.DefRange.Filename || end.End.Byte < b.DefRange.Start.Byte {
		return b.DefRange
	}
	return hcl.RangeBetween(b.DefRange, end)
}

func (l *loader) errorf(subject *hcl.Range, summary, format string, args ...any) {
	l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: subject})
}

func (l *loader) warnf(subject *hcl.Range, summary, format string, args ...any) {
	l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: subject})
}

// posString formats the start of r as file:line.
func posString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

func rangeLess(a, b hcl.Range) bool {
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	return a.Start.Byte < b.Start.Byte
}

// SortDiagnostics puts diagnostics in the one order every command and the
// language server show them in: by file and position, errors before
// warnings at the same place, then by text, so that the order never
// depends on the order checks ran in or on map iteration.
func SortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		var ar, br hcl.Range
		if a.Subject != nil {
			ar = *a.Subject
		}
		if b.Subject != nil {
			br = *b.Subject
		}
		switch {
		case ar.Filename != br.Filename:
			return ar.Filename < br.Filename
		case ar.Start.Byte != br.Start.Byte:
			return ar.Start.Byte < br.Start.Byte
		case a.Severity != b.Severity:
			return a.Severity < b.Severity
		case a.Summary != b.Summary:
			return a.Summary < b.Summary
		}
		return a.Detail < b.Detail
	})
}

// UniqueDiagnostics sorts diagnostics (SortDiagnostics) and drops every
// one identical to the one before it: same severity, text and ranges.
func UniqueDiagnostics(diags hcl.Diagnostics) hcl.Diagnostics {
	SortDiagnostics(diags)
	out := diags[:0]
	for i, d := range diags {
		if i > 0 && sameDiagnostic(diags[i-1], d) {
			continue
		}
		out = append(out, d)
	}
	return out
}

func sameDiagnostic(a, b *hcl.Diagnostic) bool {
	return a.Severity == b.Severity && a.Summary == b.Summary && a.Detail == b.Detail &&
		sameRange(a.Subject, b.Subject) && sameRange(a.Context, b.Context)
}

func sameRange(a, b *hcl.Range) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// uniqueRefs drops references recorded twice at one place (sorted refs).
func uniqueRefs(refs []*Ref) []*Ref {
	out := refs[:0]
	for i, r := range refs {
		if i > 0 {
			p := refs[i-1]
			if p.Range == r.Range && p.Kind == r.Kind && p.Name == r.Name && p.Step == r.Step {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// didYouMean returns ` Did you mean "x"?` for the candidate closest to
// name, or "" when none is close.
func didYouMean(name string, candidates []string) string {
	best, bestDist := "", 1000
	for _, c := range candidates {
		d := levenshtein.Distance(name, c, nil)
		if d < 3 && d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// parseFile parses one file in the syntax its name says, through the cache
// when the options give one. A file that is not UTF-8, or that nests too
// deeply to parse safely, is not parsed at all; it is kept, without a body,
// for the snippets of diagnostics.
func (l *loader) parseFile(filename string, src []byte) (*hcl.File, hcl.Diagnostics) {
	var p *parsedFile
	if l.opts.Cache != nil {
		p = l.opts.Cache.parse(filename, src)
	} else {
		p = parseSource(filename, src, nil)
	}
	if p.unreadable {
		l.unreadable++
	}
	return p.file, slices.Clone(p.diags)
}
