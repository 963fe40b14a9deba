package lang

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
)

// variableBlock is a decoded `variable "name" { ... }` block.
type variableBlock struct {
	decl        *Decl
	body        *decoded
	typ         cty.Type
	typeText    string
	defaults    *typeexpr.Defaults
	description string
	sensitive   bool
	hasDefault  bool
	def         cty.Value
	// value is the final value; valueRange is where it was given (nil for
	// flags and the environment).
	value      cty.Value
	valueRange *hcl.Range
	valueFrom  string
	// askRuntime is the runtime attribute when written; runtime is what
	// analyzeRuntime decided.
	askRuntime      *bool
	askRuntimeRange hcl.Range
	runtime         runtimeUse
}

// decodeVariableBlock decodes a variable declaration: its type constraint,
// default, description and sensitivity. Validations are checked once the
// value is known.
func (l *loader) decodeVariableBlock(b *hcl.Block) {
	d := newDecl(DeclVariable, b)
	if !l.declare(d) {
		l.decodeBody(b, variableSchema)
		return
	}
	if !hclsyntax.ValidIdentifier(d.Name) {
		l.errorf(&b.LabelRanges[0], "Invalid variable name", "%q is not a valid variable name: use letters, digits, \"_\" and \"-\", starting with a letter.", d.Name)
	}
	v := &variableBlock{decl: d, body: l.decodeBody(b, variableSchema), typ: cty.DynamicPseudoType, typeText: "any"}
	l.variables[d.Name] = v
	l.varOrder = append(l.varOrder, v)
	attrs := v.body.attrs
	if at := attrs["type"]; at != nil {
		ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(at.Expr)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			v.typ, v.defaults, v.typeText = ty, defaults, typeexpr.TypeString(ty)
		}
	}
	constCtx := &hcl.EvalContext{Functions: l.functions()}
	if at := attrs["description"]; at != nil {
		if val, ok := l.constValue(at, constCtx, cty.String); ok && !val.IsNull() {
			v.description = val.AsString()
		}
	}
	if at := attrs["sensitive"]; at != nil {
		if val, ok := l.constValue(at, constCtx, cty.Bool); ok && !val.IsNull() {
			v.sensitive = val.True()
		}
	}
	if at := attrs["runtime"]; at != nil {
		if val, ok := l.constValue(at, constCtx, cty.Bool); ok && !val.IsNull() {
			ask := val.True()
			v.askRuntime, v.askRuntimeRange = &ask, at.Expr.Range()
		}
	}
	if at := attrs["default"]; at != nil {
		mark := len(l.diags)
		val, ok := l.constValue(at, constCtx, cty.DynamicPseudoType)
		l.hideSensitiveValue(v, mark, "default")
		if ok {
			r := at.Expr.Range()
			if conv, ok := l.convertVarValue(v, val, &r, "default"); ok {
				v.hasDefault, v.def = true, conv
			} else {
				v.hasDefault, v.def = true, cty.DynamicVal
			}
		} else {
			v.hasDefault, v.def = true, cty.DynamicVal
		}
	}
}

// constValue evaluates an attribute that may not refer to anything.
func (l *loader) constValue(at *hcl.Attribute, ctx *hcl.EvalContext, want cty.Type) (cty.Value, bool) {
	if !l.checkRefs(at.Expr, scopeConst) {
		return cty.NilVal, false
	}
	val, diags := l.eval(at.Expr, ctx)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() || !val.IsWhollyKnown() {
		return cty.NilVal, false
	}
	conv, err := convert.Convert(val, want)
	if err != nil {
		r := at.Expr.Range()
		l.errorf(&r, "Incorrect attribute value type", "Inappropriate value for attribute %q: %s.", at.Name, convertMessage(err, val.Type(), want))
		return cty.NilVal, false
	}
	return conv, true
}

// convertVarValue converts a given value to the variable's type, applying
// the type's optional-attribute defaults.
func (l *loader) convertVarValue(v *variableBlock, val cty.Value, subject *hcl.Range, from string) (cty.Value, bool) {
	if v.defaults != nil {
		val = v.defaults.Apply(val)
	}
	if measure(val, maxEvalElements, true).outOfRange || longNumberText(val, v.typ) {
		// Refused before the conversion, which would write it out.
		subject, where := subject, ""
		if v.sensitive {
			subject, where = &v.decl.DefRange, givenAt(subject)
		}
		l.errorf(subject, "Invalid value for variable", "The %s of variable %q holds a number out of range, or a string too long to be one. %s%s", from, v.decl.Name, numberRangeMessage, where)
		return cty.NilVal, false
	}
	conv, err := convert.Convert(val, v.typ)
	if err != nil {
		msg := convertMessage(err, val.Type(), v.typ)
		if v.sensitive {
			l.errorf(&v.decl.DefRange, "Invalid value for variable", "The %s of variable %q is not a valid %s: %s. The variable is sensitive, so its value is not shown.%s", from, v.decl.Name, v.typeText, msg, givenAt(subject))
			return cty.NilVal, false
		}
		l.errorf(subject, "Invalid value for variable", "The %s of variable %q is not a valid %s: %s.", from, v.decl.Name, v.typeText, msg)
		return cty.NilVal, false
	}
	return conv, true
}

// hideSensitiveValue rewrites the diagnostics from index mark on, which are
// about the value of v given as from, when v is sensitive: as Terraform
// does, they point at the declaration and say that the value is sensitive,
// since a snippet of where the value was given, or a detail quoting it,
// would print it.
func (l *loader) hideSensitiveValue(v *variableBlock, mark int, from string) {
	if !v.sensitive {
		return
	}
	for _, d := range l.diags[mark:] {
		if d.Subject == &v.decl.DefRange {
			continue // already about the declaration
		}
		reason := strings.ToLower(strings.TrimSuffix(d.Summary, "."))
		where := givenAt(d.Subject)
		d.Subject, d.Context = &v.decl.DefRange, nil
		d.Expression, d.EvalContext = nil, nil
		d.Summary = "Invalid value for variable"
		d.Detail = fmt.Sprintf("The %s of variable %q is not valid: %s. The variable is sensitive, so its value is not shown.%s", from, v.decl.Name, reason, where)
	}
}

// givenAt says where a value was given, when that is a file.
func givenAt(r *hcl.Range) string {
	if r == nil || r.Filename == "" || strings.HasPrefix(r.Filename, "<") {
		return ""
	}
	return " It was given at " + posString(*r) + "."
}

// decodeVariableValues settles every variable's value. Precedence, lowest
// first: the default, WURZEL_VAR_<name> in the environment, --var-file files
// in order, --var flags in order. Then validations run.
func (l *loader) decodeVariableValues() {
	for _, v := range l.varOrder {
		if v.hasDefault {
			v.value = v.def
			r := v.body.exprRange("default", v.decl.DefRange)
			v.valueRange, v.valueFrom = &r, "default"
		}
	}
	l.applyEnvironment()
	for _, f := range l.opts.VarFiles {
		l.applyVarFile(f)
	}
	l.applyVarFlags()
	for _, v := range l.varOrder {
		if v.value == cty.NilVal {
			l.errorf(&v.decl.DefRange, "No value for required variable", "Variable %q has no default, so it needs a value: --var %s=..., a --var-file, or the environment variable WURZEL_VAR_%s.", v.decl.Name, v.decl.Name, v.decl.Name)
			v.value = cty.DynamicVal
		}
		if v.sensitive {
			v.value = v.value.Mark(sensitiveMark)
		}
		l.varValues[v.decl.Name] = v.value
	}
	// One context for all validations: building the object of every
	// variable once per variable would take time quadratic in their number.
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": objectOf(l.varValues)},
		Functions: l.functions(),
	}
	for _, v := range l.varOrder {
		l.checkValidations(v, ctx)
	}
}

// parseRawValue turns the text of a --var or an environment variable into a
// value: the text itself for a variable of type string, an HCL expression
// otherwise (as Terraform does). Its problems are ranged in a file of its
// own, "<value for var.NAME>", holding the text, so that they are shown with
// it as a snippet.
func (l *loader) parseRawValue(v *variableBlock, raw, from string) (cty.Value, bool) {
	if v.typ == cty.String {
		return cty.StringVal(raw), true
	}
	filename := fmt.Sprintf("<value for var.%s>", v.decl.Name)
	keepText := func() { l.files[filename] = &hcl.File{Bytes: []byte(raw)} }
	if v.sensitive {
		keepText = func() {} // never quote a sensitive value
	}
	diags := srclimit.CheckExpression(filename, []byte(raw), hcl.InitialPos)
	var expr hclsyntax.Expression
	if !diags.HasErrors() {
		expr, diags = hclsyntax.ParseExpression([]byte(raw), filename, hcl.InitialPos)
	}
	if !diags.HasErrors() {
		r := expr.Range()
		if len(expr.Variables()) > 0 {
			keepText()
			if v.sensitive {
				r = v.decl.DefRange
			}
			l.errorf(&r, "Invalid value for variable", "The value of variable %q from %s must be a constant, not a reference.", v.decl.Name, from)
			return cty.NilVal, false
		}
		var val cty.Value
		val, diags = l.eval(expr, &hcl.EvalContext{Functions: l.functions()})
		if !diags.HasErrors() {
			conv, ok := l.convertVarValue(v, val, &r, "value from "+from)
			if !ok {
				keepText()
			}
			return conv, ok
		}
	}
	for _, d := range diags {
		if d.Severity == hcl.DiagError && v.sensitive {
			l.errorf(&v.decl.DefRange, "Invalid value for variable", "The value of variable %q from %s is not valid: %s. The variable is sensitive, so its value is not shown.", v.decl.Name, from, strings.ToLower(strings.TrimSuffix(d.Summary, ".")))
			break
		}
		if d.Severity == hcl.DiagError {
			keepText()
			l.errorf(d.Subject, "Invalid value for variable", "The value of variable %q from %s is not valid: %s: %s", v.decl.Name, from, d.Summary, d.Detail)
			break
		}
	}
	return cty.NilVal, false
}

// applyEnvironment applies WURZEL_VAR_<name> variables; the last occurrence
// of a name in the environment wins, as in a shell.
func (l *loader) applyEnvironment() {
	env := map[string]string{}
	for _, kv := range l.opts.Environ {
		k, val, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, "WURZEL_VAR_") {
			env[strings.TrimPrefix(k, "WURZEL_VAR_")] = val
		}
	}
	for _, v := range l.varOrder {
		raw, ok := env[v.decl.Name]
		if !ok {
			continue
		}
		if val, ok := l.parseRawValue(v, raw, "environment variable WURZEL_VAR_"+v.decl.Name); ok {
			v.value, v.valueRange, v.valueFrom = val, nil, "the environment"
		}
	}
}

// applyVarFile applies one --var-file: an HCL file (JSON syntax when its
// name ends in .json) of name = value.
func (l *loader) applyVarFile(path string) {
	src, err := srclimit.ReadFile(path, srclimit.MaxFileSize)
	l.external.read(path, srclimit.MaxFileSize, src, err)
	if err != nil {
		l.errorf(nil, "Cannot read variable file", "%s", describePathError(path, err))
		return
	}
	f, diags := l.parseFile(path, src)
	l.diags = append(l.diags, diags...)
	if f != nil {
		l.files[path] = f
	}
	if f == nil || diags.HasErrors() {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	l.diags = append(l.diags, diags...)
	for _, name := range sortedKeys(attrs) {
		at := attrs[name]
		v := l.variables[name]
		if v == nil {
			l.warnf(&at.NameRange, "Value for undeclared variable", "The pipeline declares no variable %q; this value is ignored.%s", name, didYouMean(name, sortedKeys(l.variables)))
			continue
		}
		mark := len(l.diags)
		val, ok := l.constValue(at, &hcl.EvalContext{Functions: l.functions()}, cty.DynamicPseudoType)
		l.hideSensitiveValue(v, mark, "value in "+path)
		if !ok {
			continue
		}
		r := at.Expr.Range()
		if conv, ok := l.convertVarValue(v, val, &r, "value in "+path); ok {
			v.value, v.valueRange, v.valueFrom = conv, &r, path
		}
	}
}

func describePathError(path string, err error) string {
	if os.IsNotExist(err) {
		return fmt.Sprintf("%s does not exist", path)
	}
	return fmt.Sprintf("cannot read %s: %s", path, describeFSError(err))
}

// applyVarFlags applies --var name=value in order, later ones winning.
func (l *loader) applyVarFlags() {
	for _, kv := range l.opts.Vars {
		name, raw, ok := strings.Cut(kv, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			l.errorf(nil, "Invalid --var option", "%q is not name=value.", kv)
			continue
		}
		v := l.variables[name]
		if v == nil {
			l.errorf(nil, "Value for undeclared variable", "--var %s: the pipeline declares no variable %q.%s", name, name, didYouMean(name, sortedKeys(l.variables)))
			continue
		}
		if val, ok := l.parseRawValue(v, raw, "--var "+name); ok {
			v.value, v.valueRange, v.valueFrom = val, nil, "--var"
		}
	}
}

// checkValidations evaluates the variable's validation blocks against its
// final value.
func (l *loader) checkValidations(v *variableBlock, ctx *hcl.EvalContext) {
	sch := variableSchema.Block("validation")
	for _, vb := range v.body.nested["validation"] {
		body := l.decodeBody(vb, sch)
		cond, msg := body.attrs["condition"], body.attrs["error_message"]
		if cond == nil || msg == nil {
			continue
		}
		if !l.checkRefs(cond.Expr, scopeValidation) || !l.checkRefs(msg.Expr, scopeValidation) {
			continue
		}
		if !refersTo(cond.Expr, v.decl.Name) {
			r := cond.Expr.Range()
			l.errorf(&r, "Invalid validation condition", "The condition must refer to var.%s, the variable it validates.", v.decl.Name)
			continue
		}
		val, diags := l.eval(cond.Expr, ctx)
		l.appendEvalDiags(cond.Expr, ctx, diags)
		if diags.HasErrors() || !val.IsWhollyKnown() {
			continue
		}
		val, _ = val.UnmarkDeep()
		val, err := convert.Convert(val, cty.Bool)
		if err != nil || val.IsNull() {
			r := cond.Expr.Range()
			l.errorf(&r, "Invalid validation condition", "The condition must be a bool.")
			continue
		}
		if val.True() {
			continue
		}
		text := "the value is not valid"
		if mv, d := l.eval(msg.Expr, ctx); !d.HasErrors() && mv.IsWhollyKnown() && !mv.HasMark(sensitiveMark) {
			if mv, err := convert.Convert(mv, cty.String); err == nil && !mv.IsNull() {
				text = mv.AsString()
			}
		}
		subject := v.valueRange
		if subject == nil || v.sensitive {
			// A sensitive value is never quoted in a snippet.
			subject = &v.decl.DefRange
		}
		from := v.valueFrom
		l.errorf(subject, "Invalid value for variable", "%s\n\nThe value of variable %q (from %s) failed the validation rule at %s.", text, v.decl.Name, from, posString(cond.Range))
	}
}

// refersTo reports whether expr refers to var.name.
func refersTo(expr hcl.Expression, name string) bool {
	for _, t := range expr.Variables() {
		if n, _, ok := traversalName(t, 1); ok && t.RootName() == "var" && n == name {
			return true
		}
	}
	return false
}
