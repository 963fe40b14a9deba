package utf8src

import "testing"

func TestCheck(t *testing.T) {
	if d := Check("ok.wurzel.hcl", []byte("a = \"é😀\"\n")); d != nil {
		t.Fatalf("valid UTF-8 refused: %v", d)
	}
	d := Check("bad.wurzel.hcl", []byte("x = 1\n  é = \xe80\r\n"))
	if d == nil {
		t.Fatal("invalid UTF-8 accepted")
	}
	if r := d.Subject; r.Filename != "bad.wurzel.hcl" || r.Start.Line != 2 || r.Start.Column != 7 || r.Start.Byte != 13 || r.End.Byte != 14 {
		t.Errorf("range %+v, want line 2 column 7, byte 13", *r)
	}
	if d.Summary != "Invalid UTF-8" || d.Detail == "" {
		t.Errorf("diagnostic %q: %q", d.Summary, d.Detail)
	}
}
