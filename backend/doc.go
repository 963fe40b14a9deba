// Package backend is the contract between wurzel's IR and its back ends:
// the Target interface every back end implements, the files it generates,
// the Layout that tells where a back end keeps a step's data, and StepSpec,
// which turns a step of the IR into the runner's step spec with a layout's
// locations.
//
// The package depends on the IR (package ir) and the runner's spec, never
// on the front end: a back end that imports it links no HCL.
package backend
