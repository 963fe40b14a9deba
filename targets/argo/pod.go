package argo

import (
	"encoding/json"
	"path"

	"github.com/wurzel-dev/wurzel/ir"
)

// A step's pod has four kinds of containers: Argo's init container (it
// places input artifacts), wurzel's runner init container, the step's main
// container and Argo's wait container (it uploads output artifacts). They
// share the work directory, so they must run as one user and group:
// otherwise the directories Argo's init container creates (mode 0700) are
// closed to the step. And a namespace enforcing Pod Security "restricted"
// admits the pod only when every one of them drops all capabilities and
// forbids privilege escalation, which Argo does not do for its own
// containers unless its controller is configured to.

// identity is who every container of a step's pod runs as.
type identity struct {
	uid, gid, fsGroup int64
	// nonRoot is the containers' runAsNonRoot.
	nonRoot bool
}

// identityOf settles the user and group: a container-level run_as_user
// (security_context) wins over the pod-level one (pod_security_context),
// which wins over wurzel's default; fsGroup defaults to the group. Check
// refuses the two levels naming different users.
func identityOf(o *options) identity {
	gid := or(o.SecurityContext.RunAsGroup, or(o.PodSecurityContext.RunAsGroup, defaultUID))
	return identity{
		uid:     or(o.SecurityContext.RunAsUser, or(o.PodSecurityContext.RunAsUser, defaultUID)),
		gid:     gid,
		fsGroup: or(o.PodSecurityContext.FSGroup, gid),
		nonRoot: or(o.SecurityContext.RunAsNonRoot, true),
	}
}

// podSecurityContext is wurzel's secure default for every pod, with the
// pipeline's overrides: the pod runs as the step's user and group, which
// Argo's containers inherit.
func podSecurityContext(b *builder, o *options, id identity) *mapping {
	m := b.mapping()
	m.set("runAsNonRoot", or(o.PodSecurityContext.RunAsNonRoot, true))
	m.set("runAsUser", id.uid)
	m.set("runAsGroup", id.gid)
	m.set("fsGroup", id.fsGroup)
	m.set("seccompProfile", b.mapping().set("type", "RuntimeDefault"))
	return m
}

// containerSecurityContext is the default for every container wurzel
// writes, with the pipeline's overrides.
func containerSecurityContext(b *builder, o containerSecurity) *mapping {
	m := b.mapping()
	m.set("allowPrivilegeEscalation", or(o.AllowPrivilegeEscalation, false))
	m.set("capabilities", b.mapping().set("drop", sequence{"ALL"}))
	if o.ReadOnlyRootFilesystem.Set {
		m.set("readOnlyRootFilesystem", o.ReadOnlyRootFilesystem.Value)
	}
	m.set("runAsNonRoot", or(o.RunAsNonRoot, true))
	if o.RunAsUser.Set {
		m.set("runAsUser", o.RunAsUser.Value)
	}
	if o.RunAsGroup.Set {
		m.set("runAsGroup", o.RunAsGroup.Value)
	}
	return m
}

// Argo's own containers, as its controller names them.
const (
	argoInitContainer = "init"
	argoWaitContainer = "wait"
)

// executorPatch is the workflow's podSpecPatch: it gives Argo's init and
// wait containers the security context Pod Security "restricted" asks for
// and the step's user and group, whatever the controller's executor
// settings say. Argo merges it into every pod by container name, before
// each template's own podSpecPatch (which holds the pipeline's
// pod_spec_patch, so that the user's patch has the last word).
func executorPatch(id identity) string {
	type capabilities struct {
		Drop []string `json:"drop"`
	}
	type securityContext struct {
		AllowPrivilegeEscalation bool         `json:"allowPrivilegeEscalation"`
		Capabilities             capabilities `json:"capabilities"`
		RunAsNonRoot             bool         `json:"runAsNonRoot"`
		RunAsUser                int64        `json:"runAsUser"`
		RunAsGroup               int64        `json:"runAsGroup"`
	}
	type container struct {
		Name            string          `json:"name"`
		SecurityContext securityContext `json:"securityContext"`
	}
	sc := securityContext{Capabilities: capabilities{Drop: []string{"ALL"}}, RunAsNonRoot: id.nonRoot, RunAsUser: id.uid, RunAsGroup: id.gid}
	patch := struct {
		InitContainers []container `json:"initContainers"`
		Containers     []container `json:"containers"`
	}{
		InitContainers: []container{{Name: argoInitContainer, SecurityContext: sc}},
		Containers:     []container{{Name: argoWaitContainer, SecurityContext: sc}},
	}
	data, err := json.Marshal(patch)
	if err != nil {
		panic(err) // a fixed structure of strings, bools and numbers
	}
	return string(data)
}

// Writable scratch directories for the step's command: images often leave
// HOME at "/" or run as a user without a home (65532 has none), and a
// read-only root file system leaves no /tmp, but pip, HuggingFace, torch
// and go-getter's archive extraction all write there.
const (
	tmpDir     = "/tmp"
	homeDir    = "/wurzel/home"
	tmpVolume  = "wurzel-tmp"
	homeVolume = "wurzel-home"
)

// scratchEnv is HOME and TMPDIR for the main container, unless the step's
// env sets them itself.
func scratchEnv(s *ir.Step, shared *stepShared) sequence {
	var out sequence
	if _, ok := s.Env["HOME"]; !ok {
		out = append(out, shared.homeEnv)
	}
	if _, ok := s.Env["TMPDIR"]; !ok {
		out = append(out, shared.tmpEnv)
	}
	return out
}

// scratchMounts mounts the scratch emptyDirs, except /tmp when one of the
// step's own volumes is mounted there.
func scratchMounts(p *ir.Pipeline, s *ir.Step, shared *stepShared) sequence {
	out := sequence{shared.homeMount}
	for _, name := range s.Volumes {
		if v := p.Volume(name); v != nil && path.Clean(v.MountPath) == tmpDir {
			return out
		}
	}
	for _, name := range s.Secrets {
		if sec := p.Secret(name); sec != nil && path.Clean(sec.MountPath) == tmpDir {
			return out
		}
	}
	return append(out, shared.tmpMount)
}

// checkIdentity reports settings that would split a pod's containers
// between users, and settings that Pod Security "restricted" refuses.
func (c *checker) checkIdentity() {
	pod, ctr := c.o.PodSecurityContext, c.o.SecurityContext
	conflict := func(what string, pv, cv ir.Scalar[int64]) {
		if pv.Set && cv.Set && pv.Value != cv.Value {
			c.errorf(cv.Range, "Conflicting "+what+"s",
				"security_context sets %s = %d and pod_security_context sets %d. The containers of a step's pod share its work directory, and Argo's own init and wait containers run as the pod's %s, so they must be one: remove one of the two (security_context's value applies to the whole pod).",
				"run_as_"+what, cv.Value, pv.Value, what)
		}
	}
	conflict("user", pod.RunAsUser, ctr.RunAsUser)
	conflict("group", pod.RunAsGroup, ctr.RunAsGroup)
	restricted := func(r ir.Range, what string) {
		c.warnf(r, "Refused by Pod Security \"restricted\"",
			"%s: a namespace that enforces the Pod Security Standard \"restricted\" refuses the step's pods. Remove the setting unless the namespace allows it.", what)
	}
	if ctr.AllowPrivilegeEscalation.Set && ctr.AllowPrivilegeEscalation.Value {
		restricted(ctr.AllowPrivilegeEscalation.Range, "allow_privilege_escalation = true lets processes gain privileges")
	}
	for _, v := range []ir.Scalar[bool]{pod.RunAsNonRoot, ctr.RunAsNonRoot} {
		if v.Set && !v.Value {
			restricted(v.Range, "run_as_non_root = false lets containers run as root")
		}
	}
	for _, v := range []ir.Scalar[int64]{pod.RunAsUser, ctr.RunAsUser} {
		if v.Set && v.Value == 0 {
			restricted(v.Range, "run_as_user = 0 runs the containers as root")
		}
	}
}
