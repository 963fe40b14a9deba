// Package inspect describes an evaluated pipeline for people: every step in
// the order it runs, with its image, command, inputs, outputs, user
// environment, settings, secrets and volumes, and the complete environment the
// step's command will receive at run time, including the WURZEL_* variables
// the runner adds. Values known only at run time (the run id, the work
// directory) appear as placeholders in angle brackets.
//
// A Report is built from the IR alone and renders as text or as JSON. It never
// holds a secret's value: secrets appear by name, key and location only, and
// sensitive variables without their value.
package inspect
