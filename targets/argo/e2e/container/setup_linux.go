package container

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// StartErrorFD is the descriptor of the start-error pipe in the
// wurzel-e2e-container process.
const StartErrorFD = 3

// devices are the character devices every container gets, as runc's
// default set.
var devices = []string{"null", "zero", "full", "random", "urandom", "tty"}

// Setup prepares the container described by s in the current process,
// which must already be in new mount, UTS and PID namespaces and run as root,
// then execs its command. It returns only on failure.
func Setup(s *Spec) error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	root, err := mountRoot(s)
	if err != nil {
		return err
	}
	if err := mountSystem(root, s); err != nil {
		return err
	}
	if err := mountVolumes(root, s.Mounts); err != nil {
		return err
	}
	if s.ReadOnlyRoot {
		if err := unix.Mount("", root, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY, ""); err != nil {
			return fmt.Errorf("read-only root: %w", err)
		}
	}
	if s.Hostname != "" {
		if err := unix.Sethostname([]byte(s.Hostname)); err != nil {
			return fmt.Errorf("hostname: %w", err)
		}
	}
	if err := unix.Chroot(root); err != nil {
		return fmt.Errorf("chroot: %w", err)
	}
	return execCommand(s)
}

// mountRoot mounts the image's overlay with a writable layer on a tmpfs of
// its own (an upper directory inside the lower one would be refused as an
// overlapping layer) and returns where.
func mountRoot(s *Spec) (string, error) {
	layer := filepath.Join(s.Scratch, "layer")
	root := filepath.Join(s.Scratch, "root")
	for _, d := range []string{layer, root} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", err
		}
	}
	if err := unix.Mount("tmpfs", layer, "tmpfs", 0, "mode=0755"); err != nil {
		return "", fmt.Errorf("writable layer: %w", err)
	}
	upper, work := filepath.Join(layer, "upper"), filepath.Join(layer, "work")
	for _, d := range []string{upper, work} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return "", err
		}
	}
	lower, err := separateLayers(s.Lower, layer)
	if err != nil {
		return "", err
	}
	opts := fmt.Sprintf("lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work)
	if err := unix.Mount("overlay", root, "overlay", 0, opts); err != nil {
		return "", fmt.Errorf("root file system (%s): %w", opts, err)
	}
	return root, nil
}

// mountSystem gives the container /proc, /dev with the usual devices and
// shared memory, and its termination-log file.
func mountSystem(root string, s *Spec) error {
	proc := filepath.Join(root, "proc")
	if err := os.MkdirAll(proc, 0o555); err != nil {
		return err
	}
	if err := unix.Mount("proc", proc, "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("/proc: %w", err)
	}
	dev := filepath.Join(root, "dev")
	if err := os.MkdirAll(dev, 0o755); err != nil {
		return err
	}
	if err := unix.Mount("tmpfs", dev, "tmpfs", unix.MS_NOSUID, "mode=0755"); err != nil {
		return fmt.Errorf("/dev: %w", err)
	}
	for _, d := range devices {
		if err := bind("/dev/"+d, filepath.Join(dev, d), false); err != nil {
			return err
		}
	}
	shm := filepath.Join(dev, "shm")
	if err := os.Mkdir(shm, 0o1777); err != nil {
		return err
	}
	if err := unix.Mount("shm", shm, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=1777"); err != nil {
		return fmt.Errorf("/dev/shm: %w", err)
	}
	for name, target := range map[string]string{"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2"} {
		if err := os.Symlink(target, filepath.Join(dev, name)); err != nil {
			return err
		}
	}
	if s.TerminationLog != "" {
		return bind(s.TerminationLog, filepath.Join(dev, "termination-log"), false)
	}
	return nil
}

// mountVolumes binds each mount, parents before children.
func mountVolumes(root string, mounts []Mount) error {
	sorted := append([]Mount(nil), mounts...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return strings.Count(filepath.Clean(sorted[i].Target), "/") < strings.Count(filepath.Clean(sorted[j].Target), "/")
	})
	for _, m := range sorted {
		if !filepath.IsAbs(m.Target) {
			return fmt.Errorf("mount target %q is not absolute", m.Target)
		}
		target, err := resolveIn(root, m.Target)
		if err != nil {
			return err
		}
		if err := bind(m.Source, target, m.ReadOnly); err != nil {
			return err
		}
	}
	return nil
}

// bind mounts source at target, creating target as a file or directory
// like source, read-only when asked.
func bind(source, target string, readOnly bool) error {
	fi, err := os.Stat(source)
	if err != nil {
		return fmt.Errorf("mount source: %w", err)
	}
	if fi.IsDir() {
		err = os.MkdirAll(target, 0o755)
	} else {
		if err = os.MkdirAll(filepath.Dir(target), 0o755); err == nil {
			var f *os.File
			if f, err = os.OpenFile(target, os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
				f.Close()
			}
		}
	}
	if err != nil {
		return fmt.Errorf("mount point %s: %w", target, err)
	}
	if err := unix.Mount(source, target, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("mounting %s at %s: %w", source, target, err)
	}
	if readOnly {
		if err := unix.Mount("", target, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY, ""); err != nil {
			return fmt.Errorf("read-only %s: %w", target, err)
		}
	}
	return nil
}

// execCommand takes the container's identity and replaces this process with
// its command. The command is looked up in the container's PATH, as runc
// does.
func execCommand(s *Spec) error {
	env := withHome(s.Env, s.UID)
	dir := s.WorkingDir
	if dir == "" {
		dir = "/"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("working directory: %w", err)
	}
	if len(s.Args) == 0 {
		return fmt.Errorf("no command")
	}
	path := s.Args[0]
	if !strings.Contains(path, "/") {
		for _, kv := range env {
			if p, ok := strings.CutPrefix(kv, "PATH="); ok {
				os.Setenv("PATH", p)
			}
		}
		found, err := exec.LookPath(path)
		if err != nil {
			return fmt.Errorf("exec: %q: executable file not found in $PATH", path)
		}
		path = found
	}
	groups := make([]int, len(s.Groups))
	for i, g := range s.Groups {
		groups[i] = int(g)
	}
	unix.Umask(0o022)
	if err := syscall.Setgroups(groups); err != nil {
		return fmt.Errorf("setgroups: %w", err)
	}
	if err := syscall.Setgid(int(s.GID)); err != nil {
		return fmt.Errorf("setgid: %w", err)
	}
	if err := syscall.Setuid(int(s.UID)); err != nil {
		return fmt.Errorf("setuid: %w", err)
	}
	if s.NoNewPrivs {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return fmt.Errorf("no_new_privs: %w", err)
		}
	}
	if err := os.Chdir(dir); err != nil {
		return fmt.Errorf("chdir to %s: %w", dir, err)
	}
	syscall.CloseOnExec(StartErrorFD)
	if err := syscall.Exec(path, s.Args, env); err != nil {
		return fmt.Errorf("exec %s: %w", path, err)
	}
	return nil
}

// withHome adds HOME as runc does when the container sets none: the user's
// home in the image's /etc/passwd, else "/".
func withHome(env []string, uid uint32) []string {
	for _, kv := range env {
		if strings.HasPrefix(kv, "HOME=") {
			return env
		}
	}
	home := "/"
	if f, err := os.Open("/etc/passwd"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Split(sc.Text(), ":")
			if len(fields) >= 6 && fields[2] == strconv.FormatUint(uint64(uid), 10) {
				home = fields[5]
				break
			}
		}
		f.Close()
	}
	return append(env, "HOME="+home)
}

// separateLayers copies every lower layer but "/" into the tmpfs at layer
// when "/" is one of them: overlayfs refuses a layer inside another. Such
// layers are small (the host image's mask). Opaque directories stay
// opaque.
func separateLayers(lower, layer string) (string, error) {
	dirs := strings.Split(lower, ":")
	hasRoot := false
	for _, d := range dirs {
		hasRoot = hasRoot || d == "/"
	}
	if !hasRoot {
		return lower, nil
	}
	for i, d := range dirs {
		if d == "/" {
			continue
		}
		dst := filepath.Join(layer, fmt.Sprintf("lower%d", i))
		if err := copyLayer(d, dst); err != nil {
			return "", fmt.Errorf("copying layer %s: %w", d, err)
		}
		dirs[i] = dst
	}
	return strings.Join(dirs, ":"), nil
}

func copyLayer(src, dst string) error {
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case fi.IsDir():
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			if err := os.Chmod(target, fi.Mode()&(os.ModePerm|os.ModeSticky|os.ModeSetgid)); err != nil {
				return err
			}
			buf := make([]byte, 8)
			if n, err := unix.Getxattr(p, "trusted.overlay.opaque", buf); err == nil {
				return unix.Setxattr(target, "trusted.overlay.opaque", buf[:n], 0)
			}
			return nil
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, fi.Mode().Perm())
		}
		return fmt.Errorf("%s: only directories and regular files", p)
	})
}

// resolveIn is path inside the root file system at root, its symbolic links
// followed as they would be after chroot (/var/run -> /run), as runc does
// for mount destinations.
func resolveIn(root, path string) (string, error) {
	parts := strings.Split(filepath.Clean("/"+path), "/")[1:]
	cur := "/"
	for hops := 0; len(parts) > 0; {
		next := filepath.Join(cur, parts[0])
		parts = parts[1:]
		fi, err := os.Lstat(filepath.Join(root, next))
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			cur = next
			continue
		}
		if hops++; hops > 40 {
			return "", fmt.Errorf("%s: too many symbolic links", path)
		}
		link, err := os.Readlink(filepath.Join(root, next))
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(cur, link)
		}
		parts = append(strings.Split(filepath.Clean(link), "/")[1:], parts...)
		cur = "/"
	}
	return filepath.Join(root, cur), nil
}
