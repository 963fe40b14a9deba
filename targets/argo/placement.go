package argo

import (
	"strconv"

	"github.com/wurzel-dev/wurzel/internal/kube"
	"github.com/wurzel-dev/wurzel/ir"
)

// podMetadata is a step's template metadata: its pod's annotations (the
// step's description among them) and labels.
func podMetadata(b *builder, s *ir.Step, so *stepOptions) *mapping {
	annotations := map[string]string{}
	for k, v := range so.Annotations.Value {
		annotations[k] = v
	}
	if s.Description != "" {
		annotations[descriptionAnnotation] = s.Description
	}
	return b.mapping().
		set("annotations", stringMap(b, annotations).orNil()).
		set("labels", stringMap(b, so.Labels.Value).orNil()).
		orNil()
}

// setPlacement writes a step's scheduling into its template. Argo takes a
// template's nodeSelector and tolerations instead of the workflow's, not
// besides them, so a step that has its own gets the pipeline's merged in.
func setPlacement(b *builder, t *mapping, a *options, so *stepOptions) {
	if len(so.NodeSelector.Value) > 0 {
		merged := map[string]string{}
		for k, v := range a.NodeSelector.Value {
			merged[k] = v
		}
		for k, v := range so.NodeSelector.Value {
			merged[k] = v
		}
		t.set("nodeSelector", stringMap(b, merged))
	}
	t.set("affinity", affinity(b, so.NodeAffinity))
	if len(so.Tolerations) > 0 {
		t.set("tolerations", tolerations(b, append(append([]toleration(nil), a.Tolerations...), so.Tolerations...)))
	}
	t.setString("priorityClassName", so.PriorityClass.Value)
	t.setString("serviceAccountName", so.ServiceAccount.Value)
}

// affinity is the node affinity of the rules: the required ones together
// in one node selector term (all must hold), each preferred one a term of
// its own with its weight.
func affinity(b *builder, rules []nodeAffinity) *mapping {
	var required, preferred sequence
	for _, r := range rules {
		expr := b.mapping().set("key", r.Key.Value).set("operator", r.Operator.Value)
		if len(r.Values.Value) > 0 {
			expr.set("values", stringSeq(r.Values.Value))
		}
		if r.Weight.Set {
			preferred = append(preferred, b.mapping().
				set("weight", r.Weight.Value).
				set("preference", b.mapping().set("matchExpressions", sequence{expr})))
			continue
		}
		required = append(required, expr)
	}
	node := b.mapping()
	if required != nil {
		node.set("requiredDuringSchedulingIgnoredDuringExecution",
			b.mapping().set("nodeSelectorTerms", sequence{b.mapping().set("matchExpressions", required)}))
	}
	node.set("preferredDuringSchedulingIgnoredDuringExecution", preferred)
	if node.orNil() == nil {
		return nil
	}
	return b.mapping().set("nodeAffinity", node)
}

// checkStepOptions checks a step's argo block against Kubernetes' rules.
func (c *checker) checkStepOptions(s *ir.Step) {
	so := stepOptionsOf(s)
	if so.Range.IsZero() {
		return
	}
	at := func(v ir.Scalar[string]) ir.Range { return v.Range.Or(so.Range) }
	c.checkLabels(so.NodeSelector.Value, so.NodeSelector.Ranges, so.Range)
	c.checkLabels(so.Labels.Value, so.Labels.Ranges, so.Range)
	c.checkAnnotations(so.Annotations)
	c.subdomain(so.PriorityClass.Value, at(so.PriorityClass), "priority class name")
	c.subdomain(so.ServiceAccount.Value, at(so.ServiceAccount), "service account name")
	for _, t := range so.Tolerations {
		c.checkToleration(t)
	}
	for _, r := range so.NodeAffinity {
		c.checkNodeAffinity(r)
	}
}

// checkNodeAffinity checks what Kubernetes asks of a node selector
// requirement and a preference's weight.
func (c *checker) checkNodeAffinity(r nodeAffinity) {
	if !kube.IsQualifiedName(r.Key.Value) {
		c.errorf(r.Key.Range.Or(r.Range), "Invalid node affinity key", "%q is not a valid label key.", r.Key.Value)
	}
	values := r.Values.Value
	valuesAt := r.Values.Ranges.Range.Or(r.Range)
	switch r.Operator.Value {
	case "In", "NotIn":
		if len(values) == 0 {
			c.errorf(valuesAt, "Invalid node affinity", "Operator %q needs at least one value.", r.Operator.Value)
		}
	case "Exists", "DoesNotExist":
		if len(values) > 0 {
			c.errorf(valuesAt, "Invalid node affinity", "Operator %q takes no values.", r.Operator.Value)
		}
	case "Gt", "Lt":
		if len(values) != 1 {
			c.errorf(valuesAt, "Invalid node affinity", "Operator %q takes exactly one value, an integer.", r.Operator.Value)
		} else if _, err := strconv.ParseInt(values[0], 10, 64); err != nil {
			c.errorf(r.Values.Ranges.Elem(0).Or(valuesAt), "Invalid node affinity", "Operator %q compares with an integer, not %q.", r.Operator.Value, values[0])
		}
	}
	for i, v := range values {
		if !kube.IsLabelValue(v) {
			c.errorf(r.Values.Ranges.Elem(i).Or(valuesAt), "Invalid node affinity value", "%q is not a valid label value.", v)
		}
	}
	if r.Weight.Set && r.Weight.Value < 1 {
		c.errorf(r.Weight.Range, "Invalid node affinity weight", "A preference's weight is from 1 to 100; leave it out for a required rule.")
	}
}
