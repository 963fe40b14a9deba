package datapath

import (
	"fmt"
	"sync"

	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// FileWorkers bounds how many files of a directory output are hashed,
// copied or uploaded at once: enough to keep a few processors and the
// storage busy with small files, few enough to bound memory.
const FileWorkers = 8

// EachFile calls fn for 0 <= i < n, on up to FileWorkers goroutines, and
// returns the error of the lowest i that failed. After a failure no new
// call starts.
func EachFile(n int, fn func(i int) error) error {
	if n == 1 {
		return fn(0)
	}
	errs := make([]error, n)
	next := make(chan int)
	var failed sync.Once
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range min(FileWorkers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if errs[i] = fn(i); errs[i] != nil {
					failed.Do(func() { close(stop) })
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-stop:
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// InFile names the file of a directory output that err is about.
func InFile(rel string, err error) error {
	if err == nil || rel == "." {
		return err
	}
	return fmt.Errorf("file %q: %w", rel, err)
}

// CheckFile compares a file's size and hex sha256 with its manifest entry.
func CheckFile(size int64, sum string, want manifest.File) error {
	if size != want.Size {
		return fmt.Errorf("size %d does not match the manifest's %d", size, want.Size)
	}
	if sum != want.SHA256 {
		return fmt.Errorf("sha256 %s does not match the manifest's %s", sum, want.SHA256)
	}
	return nil
}
