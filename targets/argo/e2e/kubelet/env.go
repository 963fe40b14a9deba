package kubelet

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// defaultPath is the PATH a container runtime gives an image that sets
// none.
const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// containerEnv is the environment of c: the image's PATH, HOSTNAME, the API
// server's service variables, then the container's env, each value with
// $(VAR) references to the variables before it expanded as Kubernetes
// does.
func (k *Kubelet) containerEnv(ctx context.Context, pod *corev1.Pod, c *corev1.Container) ([]string, error) {
	defined := map[string]string{}
	var order []string
	set := func(name, val string) {
		if _, ok := defined[name]; !ok {
			order = append(order, name)
		}
		defined[name] = val
	}
	if k.APIHost != "" {
		set("KUBERNETES_SERVICE_HOST", k.APIHost)
		set("KUBERNETES_SERVICE_PORT", k.APIPort)
		set("KUBERNETES_PORT", "tcp://"+k.APIHost+":"+k.APIPort)
	}
	for _, e := range c.Env {
		val, err := k.envValue(ctx, pod, e, defined)
		if err != nil {
			return nil, err
		}
		set(e.Name, val)
	}
	env := []string{defaultPath, "HOSTNAME=" + pod.Name}
	for _, name := range order {
		if name == "PATH" {
			env[0] = "PATH=" + defined[name]
			continue
		}
		env = append(env, name+"="+defined[name])
	}
	return env, nil
}

func (k *Kubelet) envValue(ctx context.Context, pod *corev1.Pod, e corev1.EnvVar, defined map[string]string) (string, error) {
	if e.ValueFrom == nil {
		return expand(e.Value, defined), nil
	}
	switch src := e.ValueFrom; {
	case src.FieldRef != nil:
		return fieldValue(pod, src.FieldRef.FieldPath)
	case src.SecretKeyRef != nil:
		s, err := k.Client.CoreV1().Secrets(pod.Namespace).Get(ctx, src.SecretKeyRef.Name, metav1.GetOptions{})
		if err != nil {
			return "", fmt.Errorf("secret %q not found", src.SecretKeyRef.Name)
		}
		val, ok := s.Data[src.SecretKeyRef.Key]
		if !ok {
			return "", fmt.Errorf("couldn't find key %s in Secret %s/%s", src.SecretKeyRef.Key, pod.Namespace, src.SecretKeyRef.Name)
		}
		return string(val), nil
	case src.ConfigMapKeyRef != nil:
		cm, err := k.Client.CoreV1().ConfigMaps(pod.Namespace).Get(ctx, src.ConfigMapKeyRef.Name, metav1.GetOptions{})
		if err != nil {
			return "", fmt.Errorf("configmap %q not found", src.ConfigMapKeyRef.Name)
		}
		val, ok := cm.Data[src.ConfigMapKeyRef.Key]
		if !ok {
			return "", fmt.Errorf("couldn't find key %s in ConfigMap %s/%s", src.ConfigMapKeyRef.Key, pod.Namespace, src.ConfigMapKeyRef.Name)
		}
		return val, nil
	}
	return "", fmt.Errorf("env %s: this kubelet does not support its valueFrom", e.Name)
}

// fieldValue is the downward API's value of path.
func fieldValue(pod *corev1.Pod, path string) (string, error) {
	switch path {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	case "metadata.uid":
		return string(pod.UID), nil
	case "spec.nodeName":
		return pod.Spec.NodeName, nil
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, nil
	case "status.podIP", "status.hostIP":
		return "127.0.0.1", nil
	}
	for prefix, m := range map[string]map[string]string{"metadata.labels": pod.Labels, "metadata.annotations": pod.Annotations} {
		if key, ok := strings.CutPrefix(path, prefix+"['"); ok {
			return m[strings.TrimSuffix(key, "']")], nil
		}
	}
	return "", fmt.Errorf("unsupported fieldRef %q", path)
}

// expand replaces $(NAME) by the value of a defined variable and $$ by $,
// leaving other text, and references to undefined variables, as they are
// (Kubernetes' third_party/forked/golang/expansion).
func expand(s string, defined map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			name := s[i+2 : i+2+end]
			if val, ok := defined[name]; ok {
				b.WriteString(val)
			} else {
				b.WriteString(s[i : i+3+end])
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}
