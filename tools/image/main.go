package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	out := fs.String("o", "", "the archive to write")
	ref := fs.String("ref", "", "the image reference recorded in the archive, e.g. ghcr.io/wurzel-dev/wurzel:v1.2.3")
	version := fs.String("version", "", "the wurzel version (image label)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: image -o FILE -ref REF [-version V] OS/ARCH[/VARIANT]=DIR...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *ref == "" || fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("-o, -ref and at least one platform are required")
	}
	opts := Options{Ref: *ref, Version: *version, Created: time.Unix(0, 0).UTC()}
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		secs, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH: %w", err)
		}
		opts.Created = time.Unix(secs, 0).UTC()
	}
	for _, a := range fs.Args() {
		p, err := parsePlatform(a)
		if err != nil {
			return err
		}
		opts.Platforms = append(opts.Platforms, p)
	}
	return Write(*out, opts)
}
