// The wurzel command line is kept thin: each subcommand lives in its own file,
// parses flags, calls into the packages that do the work, prints and picks the
// exit code. Exit codes: 0 success, 1 the input is invalid or the work failed,
// 2 usage errors; subcommands document any others (fmt -check exits 3).
package main
