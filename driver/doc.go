// Package driver ties wurzel's front end to its back ends: it loads a
// pipeline with package lang, runs the checks of the chosen targets on the
// IR and lowers it with one of them. Commands (cmd/wurzel) and the language
// server call the driver; nothing below it does.
//
// The driver sits above both halves of the compiler. The front end (lang)
// builds the IR (package ir); the back ends (packages under targets/)
// implement the contract of package backend, which depends on the IR alone.
// Neither half imports the other, and neither imports this package.
package driver
