// Package lazyre holds regular expressions that are compiled on first use
// rather than when the program starts. Every start of the wurzel binary
// runs every package's initialisation, and a step's runner (`wurzel step
// exec`) uses few of wurzel's patterns: compiling them all at start-up cost
// it a measurable share of its start.
package lazyre
