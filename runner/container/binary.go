package container

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// linuxStatic checks that the program at path can start in any Linux
// image, one without a C library or a shell included: a statically linked
// Linux executable. It returns the program's architecture as Go and OCI
// images name it ("amd64", "arm64").
func linuxStatic(path string) (string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s is not a Linux executable (%v): containers need a linux build of wurzel, with wurzel-fetch beside it (WURZEL_CONTAINER_RUNNER)", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return "", fmt.Errorf("%s is linked dynamically, so images without its C library cannot start it: build it with CGO_ENABLED=0 (`make build` does)", path)
		}
	}
	return elfArch(f), nil
}

// elfArch names an ELF machine as GOARCH does.
func elfArch(f *elf.File) string {
	little := f.ByteOrder == binary.LittleEndian
	switch f.Machine {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_386:
		return "386"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_PPC64:
		if little {
			return "ppc64le"
		}
		return "ppc64"
	case elf.EM_S390:
		return "s390x"
	case elf.EM_RISCV:
		return "riscv64"
	case elf.EM_LOONGARCH:
		return "loong64"
	}
	return f.Machine.String()
}
