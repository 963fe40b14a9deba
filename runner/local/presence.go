package local

import (
	"os"
	"sync/atomic"
)

// presenceAhead looks whether the outputs of the steps' recorded runs are
// still in the local store, on a goroutine of its own, ahead of the
// scheduler. A run of steps that are all up to date otherwise spends a
// good part of its time in these stat calls, one step after another, on
// one processor. The scheduler takes a step's answer when it is there and
// looks itself when it is not; answers are only about the records the run
// started with, and are looked for after the run took the store.
type presenceAhead struct {
	index map[*LockStep]int
	found []atomic.Int32 // by index: notLooked, present or missing
	stop  atomic.Bool
	done  chan struct{}
}

const (
	notLooked = iota
	present
	missing
)

// lookAhead starts looking for the outputs of recs, the recorded runs in
// the order the scheduler will likely check them; nil records are skipped,
// as are records in S3 (reading them is no stat call).
func (e *executor) lookAhead(recs []*LockStep) *presenceAhead {
	a := &presenceAhead{index: make(map[*LockStep]int, len(recs)), found: make([]atomic.Int32, len(recs)), done: make(chan struct{})}
	for i, rec := range recs {
		if rec != nil {
			a.index[rec] = i
		}
	}
	go func() {
		defer close(a.done)
		for i, rec := range recs {
			if a.stop.Load() {
				return
			}
			if rec == nil || isS3(absLocation(e.pipelineDir, rec.Manifest)) {
				continue
			}
			answer := int32(missing)
			if e.localOutputsPresent(rec) {
				answer = present
			}
			a.found[i].Store(answer)
		}
	}()
	return a
}

// lookup returns the answer for rec, if there is one yet.
func (a *presenceAhead) lookup(rec *LockStep) (found, ok bool) {
	if a == nil {
		return false, false
	}
	i, known := a.index[rec]
	if !known {
		return false, false
	}
	switch a.found[i].Load() {
	case present:
		return true, true
	case missing:
		return false, true
	}
	return false, false
}

// close stops looking and waits for the goroutine to end.
func (a *presenceAhead) close() {
	if a == nil {
		return
	}
	a.stop.Store(true)
	<-a.done
}

// localOutputsPresent reports whether a recorded run's manifest and outputs
// are still where the lock says, in a local store.
func (e *executor) localOutputsPresent(rec *LockStep) bool {
	if _, err := os.Stat(absLocation(e.pipelineDir, rec.Manifest)); err != nil {
		return false
	}
	for _, o := range rec.Outputs {
		if _, err := os.Stat(absLocation(e.pipelineDir, o.Location)); err != nil {
			return false
		}
	}
	return true
}
