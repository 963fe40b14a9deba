// Package runner executes one step of a wurzel pipeline under the runtime
// contract that every back end shares (an Argo pod, a DVC stage, the local
// executor): it reads the step spec (and the values of the variables the
// spec names, from a params file or directory), checks secrets and volumes,
// fetches and verifies inputs (a consumer sees exactly what the producer's
// manifest lists), runs the command without a shell in its own process
// group, checks that each output is the file or directory it declares,
// publishes the outputs to a local directory or an object store, and writes
// the step's manifest last, as the commit marker. s3:// locations go
// through the store in Options or registered with runner/objstore, else
// through the store helper (runner/storehelper): wurzel-fetch serving
// runner/s3store in a process of its own, started when a step first
// touches such a location, so that the AWS SDK's start-up cost stays out of
// wurzel and wurzel-step, which link no S3 client. After a failure it
// publishes nothing, and removes the outputs a back end would collect. Failures of the runner itself end
// with distinct exit codes (see Error); the command's own exit code passes
// through. Source inputs are downloaded by the fetch helper wurzel-fetch
// (package runner/fetch), a separate process, so that go-getter's start-up
// cost stays out of steps that fetch nothing. A guardian process (package
// runner/internal/guard, and runner/internal/guardian for the
// guardian's side) kills the command's whole process group and
// removes the step's private directories (package runner/internal/privdir)
// if the runner itself is killed; a process that runs many steps itself
// (wurzel run) shares one guardian among them (Guardian). docs/runtime.md
// describes the contract for users.
package runner
