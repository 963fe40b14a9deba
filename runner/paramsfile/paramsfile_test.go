package paramsfile

import (
	"errors"
	"testing"
)

func TestDecodeWithoutDecoder(t *testing.T) {
	if Registered() {
		t.Fatal("a decoder is registered in a test that imports none")
	}
	if _, err := Decode("params.yaml", []byte("a: b\n")); !errors.Is(err, ErrNoDecoder) {
		t.Errorf("Decode without a decoder: %v, want ErrNoDecoder", err)
	}
	Register(func(name string, data []byte) (map[string]Entry, error) {
		return map[string]Entry{"name": {Text: name}}, nil
	})
	got, err := Decode("params.yaml", nil)
	if err != nil || got["name"].Text != "params.yaml" {
		t.Errorf("Decode with a decoder = %v, %v", got, err)
	}
}
