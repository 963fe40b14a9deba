package fetch

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecheckChecksum(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	for cs, wantErr := range map[string]bool{
		"sha256:" + ok: false, ok: false, "md5:5d41402abc4b2a76b9719d911017c592": false,
		"sha256:" + strings.Repeat("0", 64): true, "crc:1234": true,
	} {
		u := &url.URL{Scheme: "https", Host: "h", Path: "/f", RawQuery: "checksum=" + cs}
		if err := recheckChecksum(u, path); (err != nil) != wantErr {
			t.Errorf("checksum %s: err = %v", cs, err)
		}
	}
}
