package lang

import (
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/internal/kube"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

// secretBlock is a decoded `secret "name" { ... }` block.
type secretBlock struct {
	decl *Decl
	body *decoded
	ir   ir.Secret
}

// decodeSecretBlock decodes a secret declaration.
func (l *loader) decodeSecretBlock(b *hcl.Block) {
	d := newDecl(DeclSecret, b)
	body := l.decodeBody(b, secretSchema)
	if !l.declare(d) {
		return
	}
	l.checkName(DeclSecret, d.Name, d.NameRange)
	sb := &secretBlock{decl: d, body: body}
	l.secrets[d.Name] = sb
	l.secretOrd = append(l.secretOrd, sb)
}

// evaluateSecret evaluates a secret's attributes and checks that keys,
// export_env and the local source agree.
func (l *loader) evaluateSecret(sb *secretBlock) {
	s := &sb.ir
	s.Name = sb.decl.Name
	s.Range = IRRange(sb.decl.DefRange)
	a := l.attrSet(secretSchema, sb.body.attrs, "")
	s.Description = a.strOr("description", "")
	keys := map[string]bool{}
	if ks, ok := a.strList("keys"); ok {
		s.Ranges.Keys = a.listRanges("keys")
		for i, k := range ks {
			r := HCLRange(s.Ranges.Keys.Elem(i).Or(s.Range))
			switch {
			case !kube.IsConfigKey(k):
				l.errorf(&r, "Invalid secret key", "%q is not a valid key name: it becomes a file name, so use letters, digits, \"-\", \"_\" and \".\".", k)
			case keys[k]:
				l.errorf(&r, "Duplicate secret key", "The key %q is listed twice.", k)
			default:
				keys[k] = true
				s.Keys = append(s.Keys, k)
			}
		}
		if len(ks) == 0 {
			r := a.rangeOf("keys", sb.decl.DefRange)
			l.errorf(&r, "Secret without keys", "A secret needs at least one key.")
		}
	}
	s.MountPath = ir.DefaultSecretMountDir + "/" + s.Name
	s.Ranges.MountPath = a.irRange("mount_path")
	if mp, ok := a.str("mount_path"); ok && l.checkMountPath(mp, a.rangeOf("mount_path", sb.decl.DefRange)) {
		s.MountPath = mp
	}
	s.Ranges.ExportEnv = a.mapRanges("export_env")
	if ee, ranges, ok := a.strMap("export_env"); ok && len(ee) > 0 {
		s.ExportEnv = map[string]string{}
		for _, k := range sortedKeys(ee) {
			r := ranges[k]
			if !keys[k] {
				l.errorf(&r, "Unknown secret key", "export_env names the key %q, which secret %q does not declare.%s", k, s.Name, didYouMean(k, s.Keys))
				continue
			}
			if l.checkEnvName(ee[k], r) {
				s.ExportEnv[k] = ee[k]
			}
		}
	}
	if kb := sb.body.one("kubernetes"); kb != nil {
		sch := secretSchema.Block("kubernetes")
		kd := l.decodeBody(kb, sch)
		ka := l.attrSet(sch, kd.attrs, "kubernetes.")
		s.Ranges.KubernetesName = ka.irRange("name")
		if name, ok := ka.str("name"); ok {
			s.Kubernetes = &ir.KubernetesSecret{Name: name}
		}
	}
	if lb := sb.body.one("local"); lb != nil {
		s.Local = l.evaluateLocalSecret(lb, s, keys)
	}
}

// evaluateLocalSecret decodes a secret's `local { dir | env }` block.
func (l *loader) evaluateLocalSecret(b *hcl.Block, s *ir.Secret, keys map[string]bool) *ir.LocalSecret {
	sch := secretSchema.Block("local")
	body := l.decodeBody(b, sch)
	a := l.attrSet(sch, body.attrs, "local.")
	s.Ranges.LocalDir = a.irRange("dir")
	defer func() { s.Ranges.LocalEnv = a.mapRanges("env") }()
	if a.has("dir") == a.has("env") {
		l.errorf(&b.DefRange, "Invalid local secret", "A secret's local block needs exactly one of dir (a directory with one file per key) and env (a map from key to environment variable name).")
		return nil
	}
	ls := &ir.LocalSecret{}
	if dir, ok := a.str("dir"); ok {
		if dir == "" {
			r := a.rangeOf("dir", b.DefRange)
			l.errorf(&r, "Invalid path", "The dir must not be empty.")
			return nil
		}
		ls.Dir = dir
		return ls
	}
	env, ranges, ok := a.strMap("env")
	if !ok {
		return nil
	}
	ls.Env = map[string]string{}
	for _, k := range sortedKeys(env) {
		r := ranges[k]
		if !keys[k] {
			l.errorf(&r, "Unknown secret key", "local env names the key %q, which secret %q does not declare.%s", k, s.Name, didYouMean(k, s.Keys))
			continue
		}
		if schema.CheckEnvName(env[k]) == nil {
			ls.Env[k] = env[k]
		} else {
			l.errorf(&r, "Invalid environment variable name", "%q is not a valid environment variable name.", env[k])
		}
	}
	for _, k := range s.Keys {
		if _, ok := env[k]; !ok {
			r := a.rangeOf("env", b.DefRange)
			l.errorf(&r, "Missing secret key", "local env gives no environment variable for the key %q.", k)
		}
	}
	return ls
}

// checkMountPath reports a container path that is not absolute and clean.
func (l *loader) checkMountPath(p string, r hcl.Range) bool {
	if !strings.HasPrefix(p, "/") || path.Clean(p) != p || p == "/" {
		l.errorf(&r, "Invalid mount path", "The mount_path %q must be a clean absolute path in the container, such as \"/var/run/secrets/app\".", p)
		return false
	}
	return true
}
