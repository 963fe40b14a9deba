package inspect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// JSON renders r as indented JSON with a trailing newline.
func (r *Report) JSON() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	// Placeholders are written <like-this>; keep them readable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		// A Report holds only strings, numbers, slices and maps with string
		// keys, which always marshal.
		panic(fmt.Sprintf("inspect: marshal report: %v", err))
	}
	return b.Bytes()
}

// maxArg is how much of a long command argument or value the text form
// shows; programs passed inline (python -c "...") would drown everything.
const maxArg = 60

// Text renders r for people.
func (r *Report) Text() []byte {
	var b bytes.Buffer
	r.writeHeader(&b)
	r.writeVariables(&b)
	r.writeSecrets(&b)
	r.writeVolumes(&b)
	for i := range r.Steps {
		fmt.Fprintf(&b, "\nstep %d/%d: %s\n", r.Steps[i].Order, r.StepCount, r.Steps[i].Name)
		writeStep(&b, &r.Steps[i])
	}
	return b.Bytes()
}

func (r *Report) writeHeader(b *bytes.Buffer) {
	fmt.Fprintf(b, "pipeline %s\n", r.Pipeline)
	t := newTable(b)
	t.row("description", r.Description)
	t.row("image", r.Image)
	t.row("schedule", strings.Join(r.Schedules, ", "))
	t.row("timezone", r.Timezone)
	t.row("labels", formatMap(r.Labels))
	t.row("files", strings.Join(r.Files, ", "))
	t.flush()
}

func (r *Report) writeVariables(b *bytes.Buffer) {
	if len(r.Variables) == 0 {
		return
	}
	b.WriteString("\nvariables\n")
	t := newTable(b)
	for _, v := range r.Variables {
		value := "(sensitive)"
		if !v.Sensitive {
			value = formatValue(v.Value)
		}
		t.row(v.Name, v.Type, "= "+value, v.Description)
	}
	t.flush()
}

func (r *Report) writeSecrets(b *bytes.Buffer) {
	if len(r.Secrets) == 0 {
		return
	}
	b.WriteString("\nsecrets (values never shown)\n")
	t := newTable(b)
	for _, s := range r.Secrets {
		var from []string
		if s.Kubernetes != "" {
			from = append(from, "kubernetes secret "+s.Kubernetes)
		}
		if s.LocalDir != "" {
			from = append(from, "local dir "+s.LocalDir)
		}
		if len(s.LocalEnv) > 0 {
			from = append(from, "local env "+formatMap(s.LocalEnv))
		}
		t.row(s.Name, "keys "+strings.Join(s.Keys, ", "), "at "+s.MountPath, strings.Join(from, "; "))
	}
	t.flush()
}

func (r *Report) writeVolumes(b *bytes.Buffer) {
	if len(r.Volumes) == 0 {
		return
	}
	b.WriteString("\nvolumes\n")
	t := newTable(b)
	for _, v := range r.Volumes {
		mode := ""
		if v.ReadOnly {
			mode = "read-only"
		}
		t.row(v.Name, v.Type, "at "+v.MountPath, v.Source, mode)
	}
	t.flush()
}

func writeStep(b *bytes.Buffer, s *Step) {
	t := newTable(b)
	if inst := s.Instance; inst != nil {
		t.row("instance", fmt.Sprintf("of step %s, key %q, value %s", inst.Of, inst.Key, formatValue(inst.Value)))
	}
	t.row("description", s.Description)
	t.row("image", s.Image)
	t.row("command", formatCommand(s.Command))
	t.row("needs", strings.Join(s.Needs, ", "))
	t.row("depends_on", strings.Join(s.DependsOn, ", "))
	for _, in := range s.Inputs {
		from := in.Source
		if in.From != "" {
			from = "step." + strings.Replace(in.From, ".", ".output.", 1)
		}
		t.row("input", in.Name, "at "+in.Path, typeOf(in.Type), "from "+from)
		if len(in.FanIn) > 0 {
			t.row("", "", "", "", fmt.Sprintf("(%d instances: %s)", len(in.FanIn), strings.Join(in.FanIn, ", ")))
		}
	}
	for _, o := range s.Outputs {
		t.row("output", o.Name, "at "+o.Path, typeOf(o.Type))
	}
	t.row("secrets", strings.Join(s.Secrets, ", "))
	t.row("volumes", strings.Join(s.Volumes, ", "))
	if r := s.Resources; r != nil {
		t.row("resources", formatResources(r))
	}
	if r := s.Retry; r != nil {
		t.row("retry", formatRetry(r))
	}
	t.row("timeout", s.Timeout)
	if s.AlwaysRun {
		t.row("always_run", "true")
	}
	t.flush()
	b.WriteString("  environment (added to the runner's own, such as PATH and HOME)\n")
	t = newTable(b)
	for _, e := range s.Environment {
		t.row("  "+e.Name+"="+shorten(e.Value), "("+string(e.Origin)+noteSuffix(e.Note)+")")
	}
	t.flush()
}

func noteSuffix(note string) string {
	if note == "" {
		return ""
	}
	return "; " + note
}

func typeOf(t string) string {
	if t == "" {
		return ""
	}
	return "type " + t
}

func formatResources(r *Resources) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+" "+v)
		}
	}
	add("cpu", r.CPU)
	add("memory", r.Memory)
	add("ephemeral storage", r.EphemeralStorage)
	if r.GPU > 0 {
		add("gpu", strconv.Itoa(r.GPU))
	}
	return strings.Join(parts, ", ")
}

func formatRetry(r *Retry) string {
	s := fmt.Sprintf("%d attempts", r.Attempts)
	if r.Backoff != "" {
		s += ", backoff " + r.Backoff
	}
	if r.Factor > 1 {
		s += fmt.Sprintf(" x%d", r.Factor)
	}
	if r.MaxBackoff != "" {
		s += ", at most " + r.MaxBackoff
	}
	if r.Policy != "" {
		s += ", " + r.Policy
	}
	return s
}

// formatCommand quotes arguments that need it, shell-like, and shortens long
// ones.
func formatCommand(args []string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\$`") {
			parts[i] = shorten(strconv.Quote(a))
		} else {
			parts[i] = shorten(a)
		}
	}
	return strings.Join(parts, " ")
}

// shorten cuts s to its first line and maxArg characters, saying how much
// was left out.
func shorten(s string) string {
	line, _, multi := strings.Cut(s, "\n")
	runes := []rune(line)
	if !multi && len(runes) <= maxArg {
		return s
	}
	if len(runes) > maxArg {
		runes = runes[:maxArg]
	}
	return fmt.Sprintf("%s… (%d bytes)", string(runes), len(s))
}

func formatMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ", ")
}

func formatValue(v any) string {
	if s, ok := v.(string); ok {
		return shorten(strconv.Quote(s))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return shorten(string(b))
}

// table writes aligned rows indented by two spaces, skipping rows whose
// cells are all empty so that unset attributes do not clutter the output.
type table struct{ w *tabwriter.Writer }

func newTable(out io.Writer) *table {
	return &table{w: tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)}
}

func (t *table) row(label string, cells ...string) {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	if len(cells) == 0 {
		return
	}
	fmt.Fprintf(t.w, "  %s\t%s\n", label, strings.Join(cells, "\t"))
}

func (t *table) flush() { t.w.Flush() }
