// Package compiler ties wurzel's front end to its back ends. It defines the
// Target interface that back ends implement, the driver that loads a pipeline
// and runs a target's checks and lowering, and the target-independent pieces
// every back end shares, such as the runner's step spec (StepSpec).
//
// The IR itself lives in package compiler/ir so that the front end can build
// it without importing this package.
package compiler
