package local

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

func journalRecord(name string) *LockStep {
	return &LockStep{RunID: "r-" + name, Fingerprint: Fingerprint{Command: name}, Manifest: "m/" + name}
}

// TestJournalKeepsStepsOfAKilledRun: a run that never closes its writer
// (killed) leaves its records in the journal, and reading the lock
// replays them over the lock file.
func TestJournalKeepsStepsOfAKilledRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), LockFileName)
	first := newLockWriter(path, &Lock{Version: LockVersion, Pipeline: "p", Steps: map[string]*LockStep{}})
	first.record("a", journalRecord("a"), "")
	if err := first.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(journalPath(path)); !os.IsNotExist(err) {
		t.Fatalf("a run that ended left its journal: %v", err)
	}

	l, err := ReadLock(path)
	if err != nil {
		t.Fatal(err)
	}
	killed := newLockWriter(path, l)
	killed.record("b", journalRecord("b"), "")
	killed.record("a", journalRecord("a2"), "")
	// No close: the process dies here.
	got, replayed, err := readLock(path)
	if err != nil || !replayed {
		t.Fatalf("replayed %v, %v", replayed, err)
	}
	for name, run := range map[string]string{"a": "r-a2", "b": "r-b"} {
		if got.Steps[name] == nil || got.Steps[name].RunID != run {
			t.Errorf("step %s: %+v, want run %s", name, got.Steps[name], run)
		}
	}
	onDisk, err := os.ReadFile(path)
	if err != nil || strings.Contains(string(onDisk), `"b"`) {
		t.Errorf("the lock file itself was rewritten during the run (%v):\n%s", err, onDisk)
	}

	// The next run writes it all down and removes the journal.
	next := newLockWriter(path, got)
	if err := next.compact(); err != nil {
		t.Fatal(err)
	}
	if err := next.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(journalPath(path)); !os.IsNotExist(err) {
		t.Errorf("compacting left the journal: %v", err)
	}
	if l, _, err := readLock(path); err != nil || l.Steps["b"] == nil || l.Steps["a"].RunID != "r-a2" {
		t.Errorf("after compacting: %+v, %v", l, err)
	}
}

// TestJournalCutShort: a line cut short by a crash ends the replay; the
// lines before it count.
func TestJournalCutShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), LockFileName)
	w := newLockWriter(path, &Lock{Version: LockVersion, Pipeline: "p", Steps: map[string]*LockStep{}})
	w.record("a", journalRecord("a"), "")
	w.record("b", journalRecord("b"), "")
	data, err := os.ReadFile(journalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	last := strings.LastIndex(strings.TrimSuffix(string(data), "\n"), "\n")
	for _, cut := range []string{string(data[:len(data)-1]), string(data[:last+1]) + `{"step":"b","ru`} {
		if err := os.WriteFile(journalPath(path), []byte(cut), 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := ReadLock(path)
		if err != nil {
			t.Fatal(err)
		}
		if l.Steps["a"] == nil || l.Steps["b"] != nil || l.Pipeline != "p" {
			t.Errorf("replaying %q: %+v", cut, l.Steps)
		}
	}
}

// TestJournalOfAnotherPipeline: a journal whose header names another
// pipeline than the lock file, or another version, is not replayed.
func TestJournalOfAnotherPipeline(t *testing.T) {
	path := filepath.Join(t.TempDir(), LockFileName)
	w := newLockWriter(path, &Lock{Version: LockVersion, Pipeline: "p", Steps: map[string]*LockStep{}})
	w.record("a", journalRecord("a"), "")
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	for _, header := range []string{`{"version":"wurzel.dev/lock-journal/v1","pipeline":"other"}`, `{"version":"wurzel.dev/lock-journal/v9","pipeline":"p"}`} {
		journal := header + "\n" + `{"step":"x","run":{"run_id":"r"}}` + "\n"
		if err := os.WriteFile(journalPath(path), []byte(journal), 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := ReadLock(path)
		if err != nil {
			t.Fatal(err)
		}
		if l.Steps["x"] != nil || l.Steps["a"] == nil {
			t.Errorf("journal %s was replayed: %+v", header, l.Steps)
		}
	}
}

// TestManifestsAreSyncedBeforeTheLock: recorded manifests are synced in
// the journal's group, each once, and all of them before the lock that
// names them is written.
func TestManifestsAreSyncedBeforeTheLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, LockFileName)
	w := newLockWriter(path, &Lock{Version: LockVersion, Pipeline: "p", Steps: map[string]*LockStep{}})
	var mu sync.Mutex
	synced := map[string]int{}
	lockWritten := false
	w.syncFiles = func(paths []string) error {
		mu.Lock()
		defer mu.Unlock()
		if _, err := os.Stat(path); err == nil {
			lockWritten = true
		}
		for _, p := range paths {
			synced[p]++
		}
		return nil
	}
	for _, name := range []string{"a", "b", "c"} {
		w.record(name, journalRecord(name), filepath.Join(dir, name+".json"))
	}
	w.record("s3", journalRecord("s3"), "")
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(synced) != 3 || lockWritten {
		t.Errorf("synced %v (lock already written: %v); want a, b and c once each, before the lock", synced, lockWritten)
	}
	for p, n := range synced {
		if n != 1 {
			t.Errorf("%s synced %d times", p, n)
		}
	}
}

// TestReplayDropsRecordsWithoutTheirManifest: after a crash of the
// machine a journal line may be on disk while its manifest is empty or
// gone; replaying drops that record (the step runs again) and keeps the
// ones whose manifest is whole.
func TestReplayDropsRecordsWithoutTheirManifest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, LockFileName)
	w := newLockWriter(path, &Lock{Version: LockVersion, Pipeline: "p", Steps: map[string]*LockStep{}})
	manifests := map[string]string{
		"whole": `{"version": "wurzel.dev/manifest/v1", "pipeline": "p", "step": "whole", "run_id": "r-whole", "outputs": []}`,
		"empty": "",
		"other": `{"version": "wurzel.dev/manifest/v1", "pipeline": "p", "step": "whole", "run_id": "r-other", "outputs": []}`,
	}
	for name, content := range manifests {
		if err := os.WriteFile(filepath.Join(dir, name+".json"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"whole", "empty", "other", "gone"} {
		rec := journalRecord(name)
		rec.Manifest = name + ".json"
		w.record(name, rec, "")
	}
	w.record("remote", &LockStep{RunID: "r-remote", Manifest: "s3://bucket/remote.json"}, "")
	// No close: the machine crashed.
	l, replayed, err := readLock(path)
	if err != nil || !replayed {
		t.Fatalf("replayed %v, %v", replayed, err)
	}
	dropUnsyncedRecords(l, dir)
	var kept []string
	for name := range l.Steps {
		kept = append(kept, name)
	}
	sort.Strings(kept)
	if strings.Join(kept, " ") != "remote whole" {
		t.Errorf("kept %v; want the record with a whole manifest and the S3 one", kept)
	}
}
