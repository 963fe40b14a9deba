package ir

// Block is a block that a back end adds to the language (an `argo` block
// in `pipeline`, say), as the front end decoded and evaluated it against the
// back end's schema without knowing any of its words. The back end reads it
// through the typed handles of package schema.
type Block struct {
	Type string
	// Range is the block's header.
	Range Range
	// Attrs are the attributes by name: every attribute written, and every
	// attribute with a default that was not written.
	Attrs map[string]*Value `json:",omitempty"`
	// Blocks are the nested blocks by type, each in the order written.
	Blocks map[string][]*Block `json:",omitempty"`
}

// Value is one attribute of a Block: its value converted to the type the
// schema declares, and where it was written.
type Value struct {
	// Value is a string, bool, int64 (format "integer"), float64 (other
	// numbers), []string (list(string)) or map[string]string (map(string)).
	Value any
	// Range is the attribute's expression; for a default, the block's
	// header.
	Range Range
	// Elems and Keys are the ranges of the elements of a list and the values
	// of a map written out one by one.
	Elems []Range          `json:",omitempty"`
	Keys  map[string]Range `json:",omitempty"`
	// Default is true when the attribute was not written and Value is the
	// schema's default.
	Default bool `json:",omitempty"`
}

// Scalar is a single value of a back end's block with the range it was
// written at. Set is false when the attribute was not written (Value is
// then its default or the zero value).
type Scalar[T any] struct {
	Value T
	Range Range
	Set   bool
}

// List is a list(string) value of a back end's block with its ranges.
type List struct {
	Value  []string
	Ranges ListRanges
	Set    bool
}

// Map is a map(string) value of a back end's block with its ranges.
type Map struct {
	Value  map[string]string
	Ranges MapRanges
	Set    bool
}

// Extension returns the pipeline block's extension of type typ, or nil.
func (p *Pipeline) Extension(typ string) *Block { return findBlock(p.Extensions, typ) }

// Extension returns the step's extension of type typ, or nil.
func (s *Step) Extension(typ string) *Block { return findBlock(s.Extensions, typ) }

func findBlock(blocks []*Block, typ string) *Block {
	for _, b := range blocks {
		if b.Type == typ {
			return b
		}
	}
	return nil
}
