package checkcache

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sync"
)

// The codec writes a Go value of plain types (the IR's) as compact bytes
// and reads it back into a value equal to it by reflect.DeepEqual: nil and
// empty slices and maps stay apart, the dynamic types of interface values
// are kept, unexported fields are left out. Strings are written once and
// then referred to by number, since every range of a file repeats the
// file's name. It exists because the standard encoders are either too slow
// for a cache that must beat parsing (encoding/json takes a third of the
// load it would save) or cannot encode the IR (encoding/gob refuses a
// struct that holds a map of slices of itself, ir.Block).
//
// Decoding checks every length and index against the data, so bytes that
// are not an encoding give an error, never a panic or a huge allocation;
// the cache treats any error as a miss.

// interfaceTypes are the dynamic types an interface value may hold: those
// of the IR's JSON-compatible values (ir.Value, ir.Variable, ir.Instance).
// A value's tag is its index + 1; 0 is nil. Appending keeps old tags.
var interfaceTypes = []reflect.Type{
	reflect.TypeFor[string](),
	reflect.TypeFor[bool](),
	reflect.TypeFor[int64](),
	reflect.TypeFor[float64](),
	reflect.TypeFor[json.Number](),
	reflect.TypeFor[[]string](),
	reflect.TypeFor[map[string]string](),
	reflect.TypeFor[[]any](),
	reflect.TypeFor[map[string]any](),
	reflect.TypeFor[int](),
}

var errCorrupt = errors.New("checkcache: corrupt encoding")

type encoder struct {
	buf     []byte
	strings map[string]uint64
}

type decoder struct {
	data    []byte
	off     int
	strings []string
	err     error
	// depth is how many pointers, slices, maps and interfaces deep the
	// decoder is. Data may nest far deeper than any value the encoder
	// wrote (two bytes a level), and a Go stack overflow cannot be
	// recovered: past maxDepth the data is not an encoding.
	depth int
}

// maxDepth bounds the nesting of a decoded value: far above what the IR
// holds (values from jsondecode nest at most srclimit.MaxNesting deep).
const maxDepth = 10_000

// enter counts one level of nesting; leave must follow it.
func (d *decoder) enter() bool {
	d.depth++
	if d.depth > maxDepth {
		d.fail()
	}
	return d.err == nil
}

func (d *decoder) leave() { d.depth-- }

// codec encodes and decodes the values of one type.
type codec struct {
	enc func(e *encoder, v reflect.Value) error
	dec func(d *decoder, v reflect.Value)
}

var codecs sync.Map // reflect.Type → *codec

// marshal appends the encoding of v to buf.
func marshal(buf []byte, v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	c, err := codecOf(rv.Type())
	if err != nil {
		return nil, err
	}
	e := &encoder{buf: buf, strings: map[string]uint64{}}
	if err := c.enc(e, rv); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// unmarshal decodes data into *ptr; all of data must be used.
func unmarshal(data []byte, ptr any) error {
	rv := reflect.ValueOf(ptr)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("checkcache: unmarshal needs a non-nil pointer, not %T", ptr)
	}
	c, err := codecOf(rv.Type().Elem())
	if err != nil {
		return err
	}
	// The decoder leaves what the encoding does not hold (zero fields) as
	// it finds it.
	rv.Elem().SetZero()
	d := &decoder{data: data}
	c.dec(d, rv.Elem())
	if d.err == nil && d.off != len(d.data) {
		d.err = errCorrupt
	}
	return d.err
}

// codecOf returns the codec of t, building it (and those of the types t
// holds) the first time.
func codecOf(t reflect.Type) (*codec, error) {
	if c, ok := codecs.Load(t); ok {
		return c.(*codec), nil
	}
	building := map[reflect.Type]*codec{}
	c, err := build(t, building)
	if err != nil {
		return nil, err
	}
	for bt, bc := range building {
		codecs.LoadOrStore(bt, bc)
	}
	return c, nil
}

// build makes the codec of t. A type being built is in building before its
// parts are, so that a recursive type refers to its own codec.
func build(t reflect.Type, building map[reflect.Type]*codec) (*codec, error) {
	if c, ok := codecs.Load(t); ok {
		return c.(*codec), nil
	}
	if c, ok := building[t]; ok {
		return c, nil
	}
	c := &codec{}
	building[t] = c
	var err error
	switch t.Kind() {
	case reflect.Bool:
		c.enc, c.dec = encBool, decBool
	case reflect.Int, reflect.Int64:
		c.enc, c.dec = encInt, decInt64
	case reflect.Int8, reflect.Int16, reflect.Int32:
		c.enc, c.dec = encInt, decInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.enc, c.dec = encUint, decUint
	case reflect.Float32, reflect.Float64:
		c.enc, c.dec = encFloat, decFloat
	case reflect.String:
		c.enc, c.dec = encString, decString
	case reflect.Pointer:
		err = buildPointer(c, t, building)
	case reflect.Slice:
		err = buildSlice(c, t, building)
	case reflect.Array:
		err = buildArray(c, t, building)
	case reflect.Map:
		err = buildMap(c, t, building)
	case reflect.Struct:
		err = buildStruct(c, t, building)
	case reflect.Interface:
		err = buildInterface(c, t, building)
	default:
		err = fmt.Errorf("checkcache: cannot encode values of type %s", t)
	}
	return c, err
}

func buildPointer(c *codec, t reflect.Type, building map[reflect.Type]*codec) error {
	elem, err := build(t.Elem(), building)
	if err != nil {
		return err
	}
	c.enc = func(e *encoder, v reflect.Value) error {
		if v.IsNil() {
			e.buf = append(e.buf, 0)
			return nil
		}
		e.buf = append(e.buf, 1)
		return elem.enc(e, v.Elem())
	}
	c.dec = func(d *decoder, v reflect.Value) {
		if !d.enter() {
			return
		}
		defer d.leave()
		switch d.byte() {
		case 0:
			v.SetZero()
		case 1:
			p := reflect.New(t.Elem())
			elem.dec(d, p.Elem())
			v.Set(p)
		default:
			d.fail()
		}
	}
	return nil
}

func buildSlice(c *codec, t reflect.Type, building map[reflect.Type]*codec) error {
	elem, err := build(t.Elem(), building)
	if err != nil {
		return err
	}
	c.enc = func(e *encoder, v reflect.Value) error {
		if !e.length(v) {
			return nil
		}
		return encElems(e, v, elem)
	}
	c.dec = func(d *decoder, v reflect.Value) {
		d.collection(v, func(n int) {
			s := reflect.MakeSlice(t, n, n)
			decElems(d, s, elem)
			v.Set(s)
		})
	}
	return nil
}

func buildArray(c *codec, t reflect.Type, building map[reflect.Type]*codec) error {
	elem, err := build(t.Elem(), building)
	if err != nil {
		return err
	}
	c.enc = func(e *encoder, v reflect.Value) error { return encElems(e, v, elem) }
	c.dec = func(d *decoder, v reflect.Value) { decElems(d, v, elem) }
	return nil
}

// encElems writes the elements of the slice or array v.
func encElems(e *encoder, v reflect.Value, elem *codec) error {
	for i := 0; i < v.Len(); i++ {
		if err := elem.enc(e, v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

// decElems reads the elements of the slice or array v, as long as v is.
func decElems(d *decoder, v reflect.Value, elem *codec) {
	for i := 0; i < v.Len() && d.err == nil; i++ {
		elem.dec(d, v.Index(i))
	}
}

func buildMap(c *codec, t reflect.Type, building map[reflect.Type]*codec) error {
	key, err := build(t.Key(), building)
	if err != nil {
		return err
	}
	elem, err := build(t.Elem(), building)
	if err != nil {
		return err
	}
	c.enc = func(e *encoder, v reflect.Value) error {
		if !e.length(v) {
			return nil
		}
		for it := v.MapRange(); it.Next(); {
			if err := key.enc(e, it.Key()); err != nil {
				return err
			}
			if err := elem.enc(e, it.Value()); err != nil {
				return err
			}
		}
		return nil
	}
	c.dec = func(d *decoder, v reflect.Value) {
		d.collection(v, func(n int) {
			m := reflect.MakeMapWithSize(t, n)
			k, val := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			for i := 0; i < n && d.err == nil; i++ {
				k.SetZero()
				val.SetZero()
				key.dec(d, k)
				elem.dec(d, val)
				m.SetMapIndex(k, val)
			}
			if d.err == nil && m.Len() != n {
				d.fail() // a key twice: not something marshal writes
			}
			v.Set(m)
		})
	}
	return nil
}

func buildStruct(c *codec, t reflect.Type, building map[reflect.Type]*codec) error {
	type field struct {
		index int
		codec *codec
	}
	var fields []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue // derived state (ir.Pipeline's step index), rebuilt by the reader
		}
		fc, err := build(f.Type, building)
		if err != nil {
			return fmt.Errorf("%w (field %s.%s)", err, t, f.Name)
		}
		fields = append(fields, field{i, fc})
	}
	if len(fields) > 64 {
		return fmt.Errorf("checkcache: %s has more than 64 fields", t)
	}
	// A struct is a bit set of its fields that are not zero, followed by
	// those fields: most of the IR's ranges and optional fields are zero,
	// and a field not written is one the decoder does not touch.
	c.enc = func(e *encoder, v reflect.Value) error {
		var set uint64
		for i, f := range fields {
			if !v.Field(f.index).IsZero() {
				set |= 1 << i
			}
		}
		e.buf = binary.AppendUvarint(e.buf, set)
		for i, f := range fields {
			if set&(1<<i) == 0 {
				continue
			}
			if err := f.codec.enc(e, v.Field(f.index)); err != nil {
				return err
			}
		}
		return nil
	}
	c.dec = func(d *decoder, v reflect.Value) {
		set := d.uvarint()
		if set>>len(fields) != 0 {
			d.fail()
		}
		for i, f := range fields {
			if d.err != nil {
				return
			}
			if set&(1<<i) != 0 {
				f.codec.dec(d, v.Field(f.index))
			}
		}
	}
	return nil
}

func buildInterface(c *codec, t reflect.Type, building map[reflect.Type]*codec) error {
	if t.NumMethod() != 0 {
		return fmt.Errorf("checkcache: cannot encode values of type %s", t)
	}
	dynamic := make([]*codec, len(interfaceTypes))
	tags := make(map[reflect.Type]uint64, len(interfaceTypes))
	for i, it := range interfaceTypes {
		dc, err := build(it, building)
		if err != nil {
			return err
		}
		dynamic[i], tags[it] = dc, uint64(i)+1
	}
	c.enc = func(e *encoder, v reflect.Value) error {
		if v.IsNil() {
			e.buf = append(e.buf, 0)
			return nil
		}
		inner := v.Elem()
		tag, ok := tags[inner.Type()]
		if !ok {
			return fmt.Errorf("checkcache: cannot encode an interface value of type %s", inner.Type())
		}
		e.buf = binary.AppendUvarint(e.buf, tag)
		return dynamic[tag-1].enc(e, inner)
	}
	c.dec = func(d *decoder, v reflect.Value) {
		if !d.enter() {
			return
		}
		defer d.leave()
		tag := d.uvarint()
		switch {
		case d.err != nil:
		case tag == 0:
			v.SetZero()
		case tag > uint64(len(dynamic)):
			d.fail()
		default:
			inner := reflect.New(interfaceTypes[tag-1]).Elem()
			dynamic[tag-1].dec(d, inner)
			v.Set(inner)
		}
	}
	return nil
}

func encBool(e *encoder, v reflect.Value) error {
	b := byte(0)
	if v.Bool() {
		b = 1
	}
	e.buf = append(e.buf, b)
	return nil
}

func decBool(d *decoder, v reflect.Value) {
	switch d.byte() {
	case 0:
		v.SetBool(false)
	case 1:
		v.SetBool(true)
	default:
		d.fail()
	}
}

func encInt(e *encoder, v reflect.Value) error {
	e.buf = binary.AppendVarint(e.buf, v.Int())
	return nil
}

func decInt(d *decoder, v reflect.Value) {
	x, n := binary.Varint(d.data[d.off:])
	if n <= 0 || v.OverflowInt(x) {
		d.fail()
		return
	}
	d.off += n
	v.SetInt(x)
}

// decInt64 is decInt for the kinds no varint overflows.
func decInt64(d *decoder, v reflect.Value) {
	x, n := binary.Varint(d.data[d.off:])
	if n <= 0 {
		d.fail()
		return
	}
	d.off += n
	v.SetInt(x)
}

func encUint(e *encoder, v reflect.Value) error {
	e.buf = binary.AppendUvarint(e.buf, v.Uint())
	return nil
}

func decUint(d *decoder, v reflect.Value) {
	x := d.uvarint()
	if d.err == nil && v.OverflowUint(x) {
		d.fail()
		return
	}
	v.SetUint(x)
}

func encFloat(e *encoder, v reflect.Value) error {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v.Float()))
	return nil
}

func decFloat(d *decoder, v reflect.Value) {
	if len(d.data)-d.off < 8 {
		d.fail()
		return
	}
	v.SetFloat(math.Float64frombits(binary.LittleEndian.Uint64(d.data[d.off:])))
	d.off += 8
}

// A string is 0 followed by its length and bytes the first time, and its
// number in the order of first appearance + 1 after that.
func encString(e *encoder, v reflect.Value) error {
	s := v.String()
	if n, ok := e.strings[s]; ok {
		e.buf = binary.AppendUvarint(e.buf, n+1)
		return nil
	}
	e.strings[s] = uint64(len(e.strings))
	e.buf = append(e.buf, 0)
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
	return nil
}

func decString(d *decoder, v reflect.Value) {
	ref := d.uvarint()
	switch {
	case d.err != nil:
	case ref > uint64(len(d.strings)):
		d.fail()
	case ref > 0:
		v.SetString(d.strings[ref-1])
	default:
		n := d.uvarint()
		if d.err != nil || n > uint64(len(d.data)-d.off) {
			d.fail()
			return
		}
		s := string(d.data[d.off : d.off+int(n)])
		d.off += int(n)
		d.strings = append(d.strings, s)
		v.SetString(s)
	}
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
}

func (d *decoder) byte() byte {
	if d.err != nil || d.off >= len(d.data) {
		d.fail()
		return 0xff
	}
	b := d.data[d.off]
	d.off++
	return b
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Uvarint(d.data[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return x
}

// length writes the length of the slice or map v: 0 for nil, else its
// length + 1. It says whether elements follow.
func (e *encoder) length(v reflect.Value) bool {
	if v.IsNil() {
		e.buf = append(e.buf, 0)
		return false
	}
	e.buf = binary.AppendUvarint(e.buf, uint64(v.Len())+1)
	return true
}

// collection decodes a slice or map into v: nil, or the n elements that
// fill decodes and stores in v. It counts one level of nesting.
func (d *decoder) collection(v reflect.Value, fill func(n int)) {
	if !d.enter() {
		return
	}
	defer d.leave()
	n, isNil := d.length()
	switch {
	case d.err != nil:
	case isNil:
		v.SetZero()
	default:
		fill(n)
	}
}

// length reads the length of a slice or map, which every element of takes
// at least one byte of the data: a longer one is not an encoding, and must
// not be allocated.
func (d *decoder) length() (n int, isNil bool) {
	x := d.uvarint()
	switch {
	case d.err != nil:
		return 0, false
	case x == 0:
		return 0, true
	case x-1 > uint64(len(d.data)-d.off):
		d.fail()
		return 0, false
	}
	return int(x - 1), false
}
