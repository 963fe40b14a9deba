package argo

import (
	"time"

	"github.com/wurzel-dev/wurzel/ir"
)

// options are the values of the pipeline's `argo` block, with the ranges
// they were written at. The zero value means Argo's and wurzel's defaults.
type options struct {
	// Range is the block's header; zero when the pipeline has no argo
	// block.
	Range                 ir.Range
	Namespace             ir.Scalar[string]
	ServiceAccount        ir.Scalar[string]
	PodGC                 ir.Scalar[string]
	Parallelism           ir.Scalar[int64]
	NodeSelector          ir.Map
	PriorityClass         ir.Scalar[string]
	PodSpecPatch          ir.Scalar[string]
	Labels                ir.Map
	Annotations           ir.Map
	Template              ir.Scalar[bool]
	RunnerImage           ir.Scalar[string]
	ArtifactRepositoryRef *artifactRepositoryRef
	TTL                   ttl
	Tolerations           []toleration
	PodSecurityContext    podSecurity
	SecurityContext       containerSecurity
	Cron                  cronOptions
}

type artifactRepositoryRef struct {
	Range     ir.Range
	ConfigMap ir.Scalar[string]
	Key       ir.Scalar[string]
}

type ttl struct {
	AfterCompletion, AfterSuccess, AfterFailure ir.Scalar[time.Duration]
}

type toleration struct {
	Range    ir.Range
	Key      ir.Scalar[string]
	Operator ir.Scalar[string]
	Value    ir.Scalar[string]
	Effect   ir.Scalar[string]
	Seconds  ir.Scalar[int64]
}

// podSecurity and containerSecurity override wurzel's secure
// defaults field by field; a field that is not Set keeps the default.
type podSecurity struct {
	RunAsUser, RunAsGroup, FSGroup ir.Scalar[int64]
	RunAsNonRoot                   ir.Scalar[bool]
}

type containerSecurity struct {
	RunAsNonRoot, AllowPrivilegeEscalation, ReadOnlyRootFilesystem ir.Scalar[bool]
	RunAsUser, RunAsGroup                                          ir.Scalar[int64]
}

type cronOptions struct {
	Range                                              ir.Range
	ConcurrencyPolicy                                  ir.Scalar[string]
	StartingDeadline                                   ir.Scalar[time.Duration]
	SuccessfulJobsHistoryLimit, FailedJobsHistoryLimit ir.Scalar[int64]
}

// set reports whether any cron option is written.
func (c cronOptions) set() bool {
	return c.ConcurrencyPolicy.Set || c.StartingDeadline.Set || c.SuccessfulJobsHistoryLimit.Set || c.FailedJobsHistoryLimit.Set
}

// optionsOf reads the pipeline's argo block.
func optionsOf(p *ir.Pipeline) options {
	b := p.Extension(blockType)
	if b == nil {
		return options{}
	}
	o := options{
		Range:          b.Range,
		Namespace:      attrNamespace.Get(b),
		ServiceAccount: attrServiceAccount.Get(b),
		PodGC:          attrPodGC.Get(b),
		Parallelism:    attrParallelism.Get(b),
		NodeSelector:   attrNodeSelector.Get(b),
		PriorityClass:  attrPriorityClass.Get(b),
		PodSpecPatch:   attrPodSpecPatch.Get(b),
		Labels:         attrLabels.Get(b),
		Annotations:    attrAnnotations.Get(b),
		Template:       attrTemplate.Get(b),
		RunnerImage:    attrRunnerImage.Get(b),
	}
	if r := blockArtifactRepo.One(b); r != nil {
		o.ArtifactRepositoryRef = &artifactRepositoryRef{Range: r.Range, ConfigMap: attrRepoConfigMap.Get(r), Key: attrRepoKey.Get(r)}
	}
	if t := blockTTL.One(b); t != nil {
		o.TTL = ttl{AfterCompletion: attrAfterCompletion.Get(t), AfterSuccess: attrAfterSuccess.Get(t), AfterFailure: attrAfterFailure.Get(t)}
	}
	for _, t := range blockToleration.All(b) {
		o.Tolerations = append(o.Tolerations, tolerationOf(t))
	}
	if s := blockPodSecurityCtxt.One(b); s != nil {
		o.PodSecurityContext = podSecurity{
			RunAsUser: attrPodRunAsUser.Get(s), RunAsGroup: attrPodRunAsGroup.Get(s),
			FSGroup: attrPodFSGroup.Get(s), RunAsNonRoot: attrPodRunAsNonRoot.Get(s),
		}
	}
	if s := blockSecurityContext.One(b); s != nil {
		o.SecurityContext = containerSecurity{
			RunAsNonRoot: attrCtrRunAsNonRoot.Get(s), AllowPrivilegeEscalation: attrCtrPrivEscalation.Get(s),
			ReadOnlyRootFilesystem: attrCtrReadOnlyRoot.Get(s), RunAsUser: attrCtrRunAsUser.Get(s), RunAsGroup: attrCtrRunAsGroup.Get(s),
		}
	}
	if c := blockCron.One(b); c != nil {
		o.Cron = cronOptions{
			Range: c.Range, ConcurrencyPolicy: attrConcurrency.Get(c), StartingDeadline: attrStartDeadline.Get(c),
			SuccessfulJobsHistoryLimit: attrSuccessHistory.Get(c), FailedJobsHistoryLimit: attrFailedHistory.Get(c),
		}
	}
	return o
}

// tolerationOf reads one toleration block. Kubernetes' default operator is
// Equal, which needs a key; without a key the only meaningful operator is
// Exists, so that is the default there.
func tolerationOf(b *ir.Block) toleration {
	t := toleration{
		Range: b.Range, Key: attrTolKey.Get(b), Operator: attrTolOperator.Get(b),
		Value: attrTolValue.Get(b), Effect: attrTolEffect.Get(b), Seconds: attrTolSeconds.Get(b),
	}
	if !t.Operator.Set && t.Key.Value == "" {
		t.Operator.Value = "Exists"
	}
	return t
}
