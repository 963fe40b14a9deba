// Package netfail tells a network failure from the other errors a transfer
// can end with, for the stores and fetchers that retry on one. It is a
// package of its own so that a binary links package net only when it talks
// to a network: wurzel-step, which never does, does not.
package netfail
