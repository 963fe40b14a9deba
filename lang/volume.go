package lang

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/ir"
)

// volumeBlock is a decoded `volume "name" { ... }` block.
type volumeBlock struct {
	decl *Decl
	body *decoded
	ir   ir.Volume
}

// decodeVolumeBlock decodes a volume declaration.
func (l *loader) decodeVolumeBlock(b *hcl.Block) {
	d := newDecl(DeclVolume, b)
	body := l.decodeBody(b, volumeSchema)
	if !l.declare(d) {
		return
	}
	l.checkName(DeclVolume, d.Name, d.NameRange)
	vb := &volumeBlock{decl: d, body: body}
	l.volumes[d.Name] = vb
	l.volumeOrd = append(l.volumeOrd, vb)
}

// evaluateVolume evaluates a volume's attributes, checking that they fit its
// type.
func (l *loader) evaluateVolume(vb *volumeBlock) {
	v := &vb.ir
	v.Name = vb.decl.Name
	v.Range = IRRange(vb.decl.DefRange)
	a := l.attrSet(volumeSchema, vb.body.attrs, "")
	typ, typeOK := a.enum("type")
	v.Type = ir.VolumeType(typ)
	if typeOK {
		// Which attributes fit which type is part of the schema table.
		for _, sch := range volumeSchema.Attributes {
			if len(sch.OnlyFor) > 0 && a.has(sch.Name) && !contains(sch.OnlyFor, typ) {
				r := vb.body.attrs[sch.Name].NameRange
				l.errorf(&r, "Attribute not valid for volume type", "%q does not apply to a volume of type %q, only to %s.", sch.Name, typ, quoteList(sch.OnlyFor))
			}
			if contains(sch.RequiredFor, typ) && !a.has(sch.Name) {
				l.errorf(&vb.decl.DefRange, "Missing required argument", "A volume of type %q needs %q.", typ, sch.Name)
			}
		}
	}
	v.ClaimName = a.strOr("claim_name", "")
	v.ConfigMapName = a.strOr("config_map_name", "")
	v.SizeLimit, _ = a.quantity("size_limit")
	v.Size, _ = a.quantity("size")
	v.StorageClass = a.strOr("storage_class", "")
	if modes, ok := a.strList("access_modes"); ok {
		v.Ranges.AccessModes = a.listRanges("access_modes")
		allowed := volumeSchema.Attribute("access_modes").Allowed
		for i, m := range modes {
			if !contains(allowed, m) {
				r := HCLRange(v.Ranges.AccessModes.Elem(i).Or(v.Range))
				l.errorf(&r, "Invalid access mode", "%q is not an access mode: use %s.%s", m, quoteList(allowed), didYouMean(m, allowed))
				continue
			}
			v.AccessModes = append(v.AccessModes, m)
		}
	}
	if v.Type == ir.ClaimTemplate && len(v.AccessModes) == 0 {
		v.AccessModes = []string{"ReadWriteOnce"}
	}
	if mp, ok := a.str("mount_path"); ok && l.checkMountPath(mp, a.rangeOf("mount_path", vb.decl.DefRange)) {
		v.MountPath = mp
	}
	v.ReadOnly, _ = a.boolean("read_only")
	v.Ranges.Type, v.Ranges.ClaimName, v.Ranges.ConfigMapName = a.irRange("type"), a.irRange("claim_name"), a.irRange("config_map_name")
	v.Ranges.SizeLimit, v.Ranges.Size, v.Ranges.StorageClass = a.irRange("size_limit"), a.irRange("size"), a.irRange("storage_class")
	v.Ranges.MountPath, v.Ranges.ReadOnly = a.irRange("mount_path"), a.irRange("read_only")
	v.LocalDir = ir.DefaultVolumeLocalDir + "/" + v.Name
	if lb := vb.body.one("local"); lb != nil {
		sch := volumeSchema.Block("local")
		ld := l.decodeBody(lb, sch)
		la := l.attrSet(sch, ld.attrs, "local.")
		v.Ranges.LocalDir = la.irRange("dir")
		if dir, ok := la.str("dir"); ok {
			if dir == "" {
				r := la.rangeOf("dir", lb.DefRange)
				l.errorf(&r, "Invalid path", "The dir must not be empty.")
			} else {
				v.LocalDir = dir
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }
