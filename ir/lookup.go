package ir

// Step returns the step called name, or nil.
func (p *Pipeline) Step(name string) *Step {
	for i := range p.Steps {
		if p.Steps[i].Name == name {
			return &p.Steps[i]
		}
	}
	return nil
}

// Secret returns the secret called name, or nil.
func (p *Pipeline) Secret(name string) *Secret {
	for i := range p.Secrets {
		if p.Secrets[i].Name == name {
			return &p.Secrets[i]
		}
	}
	return nil
}

// Volume returns the volume called name, or nil.
func (p *Pipeline) Volume(name string) *Volume {
	for i := range p.Volumes {
		if p.Volumes[i].Name == name {
			return &p.Volumes[i]
		}
	}
	return nil
}

// Output returns the step's output called name, or nil.
func (s *Step) Output(name string) *Output {
	for i := range s.Outputs {
		if s.Outputs[i].Name == name {
			return &s.Outputs[i]
		}
	}
	return nil
}

// Input returns the step's input called name, or nil.
func (s *Step) Input(name string) *Input {
	for i := range s.Inputs {
		if s.Inputs[i].Name == name {
			return &s.Inputs[i]
		}
	}
	return nil
}

// Dependents returns the names of the steps that depend on step name,
// sorted, without duplicates.
func (p *Pipeline) Dependents(name string) []string {
	var out []string
	for _, e := range p.Edges {
		if e.From == name && (len(out) == 0 || out[len(out)-1] != e.To) {
			out = append(out, e.To)
		}
	}
	return out
}

// Variable returns the variable called name, or nil.
func (p *Pipeline) Variable(name string) *Variable {
	for i := range p.Variables {
		if p.Variables[i].Name == name {
			return &p.Variables[i]
		}
	}
	return nil
}
