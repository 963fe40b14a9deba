package lang

import (
	"errors"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
)

// functions returns the functions pipeline expressions may call: the go-cty
// standard library under Terraform's names, plus file() reading relative to
// dir, each guarded (see guard) and charged to b when b is not nil; what
// file() reads is recorded in x.
func functions(dir string, b *budget, x *externalLog) map[string]function.Function {
	table := map[string]function.Function{
		"abs":             stdlib.AbsoluteFunc,
		"can":             tryfunc.CanFunc,
		"ceil":            stdlib.CeilFunc,
		"chomp":           stdlib.ChompFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        stdlib.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"csvdecode":       stdlib.CSVDecodeFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"file":            fileFunc(dir, x),
		"flatten":         stdlib.FlattenFunc,
		"floor":           stdlib.FloorFunc,
		"format":          boundedFormat(stdlib.FormatFunc),
		"formatdate":      stdlib.FormatDateFunc,
		"formatlist":      boundedFormat(stdlib.FormatListFunc),
		"indent":          stdlib.IndentFunc,
		"index":           stdlib.IndexFunc,
		"int":             stdlib.IntFunc,
		"join":            stdlib.JoinFunc,
		"jsondecode":      boundedJSONDecode(stdlib.JSONDecodeFunc),
		"jsonencode":      stdlib.JSONEncodeFunc,
		"keys":            stdlib.KeysFunc,
		"length":          stdlib.LengthFunc,
		"log":             stdlib.LogFunc,
		"lookup":          stdlib.LookupFunc,
		"lower":           stdlib.LowerFunc,
		"max":             stdlib.MaxFunc,
		"merge":           stdlib.MergeFunc,
		"min":             stdlib.MinFunc,
		"parseint":        stdlib.ParseIntFunc,
		"pow":             stdlib.PowFunc,
		"range":           stdlib.RangeFunc,
		"regex":           stdlib.RegexFunc,
		"regexall":        stdlib.RegexAllFunc,
		"regex_replace":   stdlib.RegexReplaceFunc,
		"replace":         stdlib.ReplaceFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      boundedSetProduct(maxSetProduct),
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"signum":          stdlib.SignumFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"split":           stdlib.SplitFunc,
		"strlen":          stdlib.StrlenFunc,
		"strrev":          stdlib.ReverseFunc,
		"substr":          stdlib.SubstrFunc,
		"timeadd":         stdlib.TimeAddFunc,
		"title":           stdlib.TitleFunc,
		"tobool":          stdlib.MakeToFunc(cty.Bool),
		"tolist":          uniformConversion(stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)), false, cty.List, listOf),
		"tomap":           uniformConversion(stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)), true, cty.Map, mapOf),
		"tonumber":        stdlib.MakeToFunc(cty.Number),
		"toset":           uniformConversion(stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), false, cty.Set, setOf),
		"tostring":        stdlib.MakeToFunc(cty.String),
		"trim":            stdlib.TrimFunc,
		"trimprefix":      stdlib.TrimPrefixFunc,
		"trimspace":       stdlib.TrimSpaceFunc,
		"trimsuffix":      stdlib.TrimSuffixFunc,
		"try":             tryfunc.TryFunc,
		"upper":           stdlib.UpperFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,
	}
	for name, fn := range table {
		table[name] = guard(name, fn, b)
	}
	return table
}

// maxSetProduct bounds the number of elements setproduct may return. Its
// result grows as the product of its arguments' lengths: four lists of 100
// would build 100 million tuples and take tens of gigabytes, in validate and
// in the editor's language server alike.
const maxSetProduct = 100_000

// boundedSetProduct is go-cty's setproduct, refusing results larger than
// limit before building them.
func boundedSetProduct(limit int) function.Function {
	return checkedFirst(stdlib.SetProductFunc, func(args []cty.Value) error {
		total := 1
		for i, arg := range args {
			arg, _ = arg.Unmark()
			if !arg.IsKnown() || arg.IsNull() || !arg.CanIterateElements() {
				continue // setproduct itself reports or defers these
			}
			if n := arg.LengthInt(); n == 0 {
				total = 0
			} else if total > 0 && total > limit/n {
				return function.NewArgErrorf(i, "the product has more than %d elements", limit)
			} else {
				total *= n
			}
		}
		return nil
	})
}

// boundedJSONDecode is jsondecode refusing JSON nested deeper than
// srclimit.MaxNesting: go-cty decodes it recursively, and a Go stack
// overflow cannot be recovered (file() can hand it 4 MiB of brackets).
func boundedJSONDecode(inner function.Function) function.Function {
	return checkedFirst(inner, func(args []cty.Value) error {
		if s := args[0]; s.IsKnown() && !s.IsNull() {
			if err := srclimit.JSONNestingError([]byte(s.AsString())); err != nil {
				return function.NewArgError(0, err)
			}
		}
		return nil
	})
}

// checkedFirst is inner with check run on its arguments first, before its
// type is worked out too (jsondecode's type comes from decoding): an error
// from check is the call's error, and inner does not run.
func checkedFirst(inner function.Function, check func(args []cty.Value) error) function.Function {
	return function.New(&function.Spec{
		Description: inner.Description(),
		Params:      inner.Params(),
		VarParam:    inner.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			if err := check(args); err != nil {
				return cty.NilType, err
			}
			return inner.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if err := check(args); err != nil {
				return cty.NilVal, err
			}
			return inner.Call(args)
		},
	})
}

// functions returns the loader's function table, made once.
func (l *loader) functions() map[string]function.Function {
	if l.funcs == nil {
		l.funcs = functions(l.dir, l.budget, l.external)
		l.budget.funcs = l.funcs
	}
	return l.funcs
}

// FunctionNames lists the functions available in expressions, sorted, for
// documentation and completion.
func FunctionNames() []string { return sortedKeys(functions("", nil, nil)) }

// maxFileSize bounds what file() reads, so that a mistaken path to a large
// data file does not end up inside a generated manifest.
const maxFileSize = 4 << 20

// fileFunc is file(path): the content of a UTF-8 text file, path relative to
// the pipeline directory. What it returns is recorded in x.
func fileFunc(dir string, x *externalLog) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			p := name
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			src, err := srclimit.ReadFile(p, maxFileSize)
			x.read(p, maxFileSize, src, err)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "cannot read %s: %s", name, describeFSError(err))
			}
			if !utf8.Valid(src) {
				return cty.NilVal, function.NewArgErrorf(0, "%s is not UTF-8 text", name)
			}
			return cty.StringVal(string(src)), nil
		},
	})
}

func describeFSError(err error) string {
	var pe *os.PathError
	switch {
	case os.IsNotExist(err):
		return "no such file"
	case os.IsPermission(err):
		return "permission denied"
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return err.Error()
}
