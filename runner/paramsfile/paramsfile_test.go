package paramsfile

import (
	"errors"
	"testing"
)

func TestDecodeWithoutDecoder(t *testing.T) {
	if _, err := Lookup(); !errors.Is(err, ErrNoDecoder) {
		t.Fatalf("Lookup without a decoder: %v, want ErrNoDecoder", err)
	}
	Register(func(name string, data []byte) (map[string]Entry, error) {
		return map[string]Entry{"name": {Text: name}}, nil
	})
	decode, err := Lookup()
	if err != nil {
		t.Fatalf("Lookup with a decoder: %v", err)
	}
	got, err := decode("params.yaml", nil)
	if err != nil || got["name"].Text != "params.yaml" {
		t.Errorf("Decode with a decoder = %v, %v", got, err)
	}
}
