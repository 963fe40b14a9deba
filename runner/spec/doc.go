// Package spec defines the step spec: the JSON document that tells the wurzel
// runner (`wurzel step exec`) what one step is and where its data lives. The
// compiler writes it, each back end fills in the locations that fit it, and
// the runner reads it. It holds no secret values, only where secrets are.
package spec
