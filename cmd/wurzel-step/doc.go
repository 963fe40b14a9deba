// Command wurzel-step is the wurzel runner on its own: `wurzel step exec`
// without the rest of wurzel (no front end, no command-line framework), so
// that a process that only runs one step starts fast and is small to copy.
// The Argo target runs it in every step's pod. See runner/stepcmd and
// docs/runtime.md.
package main
