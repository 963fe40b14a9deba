// Package benchpair measures a benchmark's subject against its peer (the
// floor or the tool it is compared with) in the same run, one after the
// other in every iteration, so that a busy machine slows both alike, and
// reports the ratio of their medians. Wall time and process CPU time (all
// threads, the garbage collector's included) are reported both: on a shared
// machine the CPU ratio is the steadier of the two.
package benchpair
