package backend

import "github.com/wurzel-dev/wurzel/ir"

// Security is who a step's container runs as and what it may do.
type Security struct {
	// UID and GID are the user and primary group of the step's processes.
	UID, GID int64
	// FSGroup owns the step's secret files and is a supplementary group of
	// its processes, as Kubernetes' fsGroup.
	FSGroup int64
	// ReadOnlyRoot makes the image's file system read-only.
	ReadOnlyRoot bool
}

// DefaultUID is the user, group and fsGroup steps run as unless the
// pipeline says otherwise: the "nonroot" user of distroless images, so that
// a non-root rule holds for any image, including ones whose default user is
// root.
const DefaultUID int64 = 65532

// DefaultSecurity is who a step runs as by default.
var DefaultSecurity = Security{UID: DefaultUID, GID: DefaultUID, FSGroup: DefaultUID}

// SecurityDecider is a Target that decides who each step's container runs
// as (Argo's security contexts). `wurzel run --isolation container` asks
// it, so that a step runs on this machine as it would in its pod.
type SecurityDecider interface {
	Security(p *ir.Pipeline, s *ir.Step) Security
}
