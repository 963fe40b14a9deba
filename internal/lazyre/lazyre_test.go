package lazyre

import (
	"slices"
	"testing"
)

func TestCompiledOnFirstUse(t *testing.T) {
	r := New(`^([a-z]+)-([0-9]+)$`)
	if r.re != nil {
		t.Fatal("compiled before first use")
	}
	if !r.MatchString("abc-12") || r.MatchString("abc-") {
		t.Error("MatchString")
	}
	if got := r.FindStringSubmatch("abc-12"); !slices.Equal(got, []string{"abc-12", "abc", "12"}) {
		t.Errorf("FindStringSubmatch = %q", got)
	}
	if got := r.FindStringSubmatchIndex("abc-12"); !slices.Equal(got, []int{0, 6, 0, 3, 4, 6}) {
		t.Errorf("FindStringSubmatchIndex = %v", got)
	}
	if got := New(`[0-9]+`).FindAllStringSubmatch("a1b22", -1); len(got) != 2 || got[1][0] != "22" {
		t.Errorf("FindAllStringSubmatch = %q", got)
	}
	if got := New(`[0-9]+$`).FindString("a1b22"); got != "22" {
		t.Errorf("FindString = %q", got)
	}
}

func TestInvalidPanicsOnUse(t *testing.T) {
	r := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("an invalid expression did not panic")
		}
	}()
	r.MatchString("x")
}
