package kube

import "testing"

func TestQuantityBytes(t *testing.T) {
	for q, want := range map[string]int64{
		"0": 0, "1": 1, "500Mi": 500 << 20, "2G": 2e9, "1.5Ki": 1536, "1e3": 1000, "1E": 1e18,
		"2Gi": 2 << 30, "8Ei": 0, "1e999999999": 0, "4k": 4000, ".5Ki": 512, "1000m": 1,
	} {
		got, ok := QuantityBytes(q)
		if q == "8Ei" || q == "1e999999999" {
			if ok {
				t.Errorf("QuantityBytes(%q) = %d; want overflow refused", q, got)
			}
			continue
		}
		if !ok || got != want {
			t.Errorf("QuantityBytes(%q) = %d, %v; want %d", q, got, ok, want)
		}
	}
	for _, q := range []string{"500m", "+1", "-1", "1.5", "Mi", "", "1Z", "0.1Ki"} {
		if n, ok := QuantityBytes(q); ok {
			t.Errorf("QuantityBytes(%q) = %d; want refused", q, n)
		}
	}
}

func TestQuantityMilli(t *testing.T) {
	for q, want := range map[string]int64{
		"500m": 500, "0.5": 500, "2": 2000, "1": 1000, "100m": 100, "1u": 1, "1.0001": 1001, "0": 0, "1k": 1000000,
	} {
		if got, ok := QuantityMilli(q); !ok || got != want {
			t.Errorf("QuantityMilli(%q) = %d, %v; want %d", q, got, ok, want)
		}
	}
	for _, q := range []string{"-1", "", "x", "8E", "1e30"} {
		if n, ok := QuantityMilli(q); ok {
			t.Errorf("QuantityMilli(%q) = %d; want refused", q, n)
		}
	}
}

func TestIsQuantity(t *testing.T) {
	for _, q := range []string{"500m", "2", "1.5Gi", "1e3", ".5", "16Gi", "1E"} {
		if !IsQuantity(q) {
			t.Errorf("IsQuantity(%q) = false", q)
		}
	}
	// A sign is refused: requests are never negative, and "+1" would be
	// read differently by different tools.
	for _, q := range []string{"+1", "-1", "1 Gi", "1gi", "", "1.2.3"} {
		if IsQuantity(q) {
			t.Errorf("IsQuantity(%q) = true", q)
		}
	}
}

func TestNames(t *testing.T) {
	cases := []struct {
		f    func(string) bool
		name string
		ok   []string
		bad  []string
	}{
		{IsDNSLabel, "IsDNSLabel", []string{"a", "rag-ingest", "a1"}, []string{"", "-a", "a-", "A", "a.b", string(make([]byte, 64))}},
		{IsDNSSubdomain, "IsDNSSubdomain", []string{"a.b", "my-secret", "x"}, []string{"", "a..b", ".a", "A"}},
		{IsQualifiedName, "IsQualifiedName", []string{"team", "app.kubernetes.io/name", "a_b.c"}, []string{"", "/a", "a/", "-a", "UPPER.example/x"}},
		{IsLabelValue, "IsLabelValue", []string{"", "v1.2", "a_b"}, []string{"-a", "a b", "a/b"}},
		{IsConfigKey, "IsConfigKey", []string{"token", ".env", "a_b-c.d"}, []string{"", ".", "..", "a/b"}},
	}
	for _, c := range cases {
		for _, s := range c.ok {
			if !c.f(s) {
				t.Errorf("%s(%q) = false", c.name, s)
			}
		}
		for _, s := range c.bad {
			if c.f(s) {
				t.Errorf("%s(%q) = true", c.name, s)
			}
		}
	}
}
