package runner

import (
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"

	"github.com/wurzel-dev/wurzel/runner/paramsfile"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// applyParams reads the values of the spec's runtime variables (from DVC's
// params.yaml or from Argo's parameter files) and puts the command
// arguments and environment variables made of them in place, so that
// everything after it sees a spec like any other. Its errors end the step
// with CodeBadSpec, before anything runs.
func applyParams(st *spec.Step, dir string) (*spec.Step, error) {
	ps := st.Params
	if ps == nil {
		return st, nil
	}
	values, err := paramValues(ps, dir)
	if err != nil {
		return nil, err
	}
	out := *st
	out.Command = append([]string(nil), st.Command...)
	out.Env = make(map[string]string, len(st.Env)+len(ps.Env))
	for k, v := range st.Env {
		out.Env[k] = v
	}
	st = &out
	render := func(v spec.Value) string {
		var b strings.Builder
		for _, p := range v {
			if p.Var != "" {
				b.WriteString(values[p.Var])
			} else {
				b.WriteString(p.Text)
			}
		}
		return b.String()
	}
	for _, a := range ps.Args {
		st.Command[a.Index] = render(a.Value)
	}
	for name, v := range ps.Env {
		st.Env[name] = render(v)
	}
	return st, nil
}

// validateParams checks what applyParams relies on.
func validateParams(st *spec.Step) error {
	ps := st.Params
	if ps == nil {
		return nil
	}
	var errs []error
	if (ps.File == "") == (ps.Dir == "") {
		errs = append(errs, errors.New("params: exactly one of file and dir must be set"))
	}
	for name, typ := range ps.Types {
		if !validVarName(name) {
			errs = append(errs, fmt.Errorf("params: variable name %q is not valid", name))
		}
		if typ != spec.TypeString && typ != spec.TypeNumber && typ != spec.TypeBool {
			errs = append(errs, fmt.Errorf("params: variable %q has unknown type %q", name, typ))
		}
	}
	checkValue := func(what string, v spec.Value) {
		for _, p := range v {
			if _, ok := ps.Types[p.Var]; p.Var != "" && !ok {
				errs = append(errs, fmt.Errorf("params: %s uses variable %q, which has no type", what, p.Var))
			}
		}
	}
	for _, a := range ps.Args {
		if a.Index < 0 || a.Index >= len(st.Command) {
			errs = append(errs, fmt.Errorf("params: argument %d is not in the command", a.Index))
		}
		checkValue(fmt.Sprintf("argument %d", a.Index), a.Value)
	}
	for name, v := range ps.Env {
		checkValue("env "+name, v)
	}
	return errors.Join(errs...)
}

// validVarName is HCL's rule for identifiers, as variable names follow it:
// a letter or "_", then letters, digits, "_" and "-".
func validVarName(s string) bool {
	for i, c := range s {
		letter := c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if !(letter || (i > 0 && (c == '-' || ('0' <= c && c <= '9')))) {
			return false
		}
	}
	return s != ""
}

// paramValues reads every variable of ps and renders it as text for its
// type.
func paramValues(ps *spec.Params, dir string) (map[string]string, error) {
	raw := map[string]string{}
	var read func(name string) (string, error)
	if ps.File != "" {
		file := ps.File
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		doc, err := readParamsFile(file)
		if err != nil {
			return nil, err
		}
		read = func(name string) (string, error) {
			e, ok := doc[name]
			if !ok {
				return "", fmt.Errorf("variable %q is not in %s; add it (the generated params.yaml has it) or generate the pipeline again", name, ps.File)
			}
			if e.Shape != "" {
				return "", fmt.Errorf("variable %q in %s must be a single value, not %s", name, ps.File, e.Shape)
			}
			return e.Text, nil
		}
	} else {
		read = func(name string) (string, error) {
			data, err := os.ReadFile(filepath.Join(ps.Dir, name))
			if err != nil {
				return "", fmt.Errorf("variable %q: %s", name, describeFSError(err))
			}
			return string(data), nil
		}
	}
	for name, typ := range ps.Types {
		text, err := read(name)
		if err != nil {
			return nil, err
		}
		v, err := paramText(typ, text)
		if err != nil {
			return nil, fmt.Errorf("variable %q: %v", name, err)
		}
		raw[name] = v
	}
	return raw, nil
}

// readParamsFile reads the top-level keys of a params file with the
// decoder the program registered (runner/paramsfile).
func readParamsFile(file string) (map[string]paramsfile.Entry, error) {
	decode, err := paramsfile.Lookup()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading the variables' values: %s", describeFSError(err))
	}
	return decode(file, data)
}

// paramText checks a value against its variable's type and renders it as
// the compiler renders values: strings as they are, numbers in plain
// decimal notation ("1e3" is "1000"), bools as true or false.
func paramText(typ, text string) (string, error) {
	switch typ {
	case spec.TypeNumber:
		f, ok := new(big.Float).SetPrec(512).SetString(strings.TrimSpace(text))
		if !ok || f.IsInf() {
			return "", fmt.Errorf("%q is not a number", text)
		}
		return spec.FormatNumber(f), nil
	case spec.TypeBool:
		switch strings.TrimSpace(text) {
		case "true":
			return "true", nil
		case "false":
			return "false", nil
		}
		return "", fmt.Errorf("%q is not a bool (true or false)", text)
	}
	return text, nil
}
