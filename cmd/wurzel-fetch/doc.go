// Command wurzel-fetch is the wurzel runner's fetch helper: it downloads one
// go-getter `source` input. `wurzel step exec` starts it when a step has a
// source input, finding it next to the wurzel binary or on PATH; it is not
// meant to be run by hand. See docs/runtime.md.
package main
