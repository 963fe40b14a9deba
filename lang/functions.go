package lang

import (
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions returns the functions pipeline expressions may call: the go-cty
// standard library under Terraform's names, plus file() reading relative to
// dir.
func functions(dir string) map[string]function.Function {
	return map[string]function.Function{
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
		"file":            fileFunc(dir),
		"flatten":         stdlib.FlattenFunc,
		"floor":           stdlib.FloorFunc,
		"format":          stdlib.FormatFunc,
		"formatdate":      stdlib.FormatDateFunc,
		"formatlist":      stdlib.FormatListFunc,
		"indent":          stdlib.IndentFunc,
		"index":           stdlib.IndexFunc,
		"int":             stdlib.IntFunc,
		"join":            stdlib.JoinFunc,
		"jsondecode":      stdlib.JSONDecodeFunc,
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
		"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":        stdlib.MakeToFunc(cty.Number),
		"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
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
}

// maxSetProduct bounds the number of elements setproduct may return. Its
// result grows as the product of its arguments' lengths: four lists of 100
// would build 100 million tuples and take tens of gigabytes, in validate and
// in the editor's language server alike.
const maxSetProduct = 100_000

// boundedSetProduct is go-cty's setproduct, refusing results larger than
// limit before building them.
func boundedSetProduct(limit int) function.Function {
	inner := stdlib.SetProductFunc
	return function.New(&function.Spec{
		Description: inner.Description(),
		Params:      inner.Params(),
		VarParam:    inner.VarParam(),
		Type:        inner.ReturnTypeForValues,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			total := 1
			for i, arg := range args {
				arg, _ = arg.Unmark()
				if !arg.IsKnown() || arg.IsNull() || !arg.CanIterateElements() {
					continue // setproduct itself reports or defers these
				}
				if n := arg.LengthInt(); n == 0 {
					total = 0
				} else if total > 0 && total > limit/n {
					return cty.NilVal, function.NewArgErrorf(i, "the product has more than %d elements", limit)
				} else {
					total *= n
				}
			}
			return inner.Call(args)
		},
	})
}

// functions returns the loader's function table, made once.
func (l *loader) functions() map[string]function.Function {
	if l.funcs == nil {
		l.funcs = functions(l.dir)
	}
	return l.funcs
}

// FunctionNames lists the functions available in expressions, sorted, for
// documentation and completion.
func FunctionNames() []string { return sortedKeys(functions("")) }

// maxFileSize bounds what file() reads, so that a mistaken path to a large
// data file does not end up inside a generated manifest.
const maxFileSize = 4 << 20

// fileFunc is file(path): the content of a UTF-8 text file, path relative to
// the pipeline directory.
func fileFunc(dir string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			info, err := os.Stat(p)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "cannot read %s: %s", args[0].AsString(), describeFSError(err))
			}
			if info.IsDir() {
				return cty.NilVal, function.NewArgErrorf(0, "%s is a directory, not a file", args[0].AsString())
			}
			if info.Size() > maxFileSize {
				return cty.NilVal, function.NewArgErrorf(0, "%s is larger than %d bytes", args[0].AsString(), maxFileSize)
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "cannot read %s: %s", args[0].AsString(), describeFSError(err))
			}
			if !utf8.Valid(src) {
				return cty.NilVal, function.NewArgErrorf(0, "%s is not UTF-8 text", args[0].AsString())
			}
			return cty.StringVal(string(src)), nil
		},
	})
}

func describeFSError(err error) string {
	switch {
	case os.IsNotExist(err):
		return "no such file"
	case os.IsPermission(err):
		return "permission denied"
	}
	return err.Error()
}
