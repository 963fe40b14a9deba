package ir

import "sort"

// Step returns the step called name, or nil. It takes constant time once
// IndexSteps has run; the index is checked against Steps, and a step it
// does not know (Steps changed since) is looked for in all of them.
func (p *Pipeline) Step(name string) *Step {
	if i, ok := p.stepIndex[name]; ok && i < len(p.Steps) && p.Steps[i].Name == name {
		return &p.Steps[i]
	}
	for i := range p.Steps {
		if p.Steps[i].Name == name {
			return &p.Steps[i]
		}
	}
	return nil
}

// IndexSteps indexes Steps by name for Step. The front end calls it once
// Steps are final.
func (p *Pipeline) IndexSteps() {
	p.stepIndex = make(map[string]int, len(p.Steps))
	for i := range p.Steps {
		p.stepIndex[p.Steps[i].Name] = i
	}
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

// Producer is one step output that an input reads.
type Producer struct {
	OutputRef
	// Key is the instance's key when the input gathers every instance of a
	// step block (FanIn); empty for From.
	Key string
}

// Producers lists the step outputs the input reads: its From, or every
// instance of its FanIn in key order; nil for a source input.
func (in *Input) Producers() []Producer {
	switch {
	case in.From != nil:
		return []Producer{{OutputRef: *in.From}}
	case in.FanIn != nil:
		out := make([]Producer, len(in.FanIn.Instances))
		for i, inst := range in.FanIn.Instances {
			out[i] = Producer{OutputRef: OutputRef{Step: inst.Step, Output: in.FanIn.Output}, Key: inst.Key}
		}
		return out
	}
	return nil
}

// BlockName returns the name of the step block s comes from: its own name, or
// for an instance the name of its for_each block.
func (s *Step) BlockName() string {
	if s.Instance != nil {
		return s.Instance.Of
	}
	return s.Name
}

// StepBlocks groups the steps by the block they come from, the instances of
// a step with for_each together in key order, in the order of each block's
// first step.
func (p *Pipeline) StepBlocks() [][]*Step {
	var out [][]*Step
	at := map[string]int{}
	for i := range p.Steps {
		s := &p.Steps[i]
		name := s.BlockName()
		if j, ok := at[name]; ok {
			out[j] = append(out[j], s)
			continue
		}
		at[name] = len(out)
		out = append(out, []*Step{s})
	}
	for _, block := range out {
		if block[0].Instance != nil {
			sort.SliceStable(block, func(i, j int) bool { return block[i].Instance.Key < block[j].Instance.Key })
		}
	}
	return out
}
