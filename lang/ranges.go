package lang

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/ir"
)

// IRRange converts an hcl.Range to the IR's Range. It and HCLRange are the
// only conversions between the two: the IR keeps no HCL type, so that back
// ends link no HCL.
func IRRange(r hcl.Range) ir.Range {
	return ir.Range{
		Filename: r.Filename,
		Start:    ir.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      ir.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

// HCLRange converts an IR Range back to an hcl.Range.
func HCLRange(r ir.Range) hcl.Range {
	return hcl.Range{
		Filename: r.Filename,
		Start:    hcl.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      hcl.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}
