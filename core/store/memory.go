package store

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/store/internal/check"
)

// Memory is the in-memory store: the twin of the sqlite store for tests and
// for studies that need not outlive the process. It copies every trial and
// study on the way in and out. The zero value is not usable; call NewMemory.
type Memory struct {
	mu      sync.Mutex
	studies map[string]*memStudy
}

type memStudy struct {
	info   search.StudyInfo
	trials map[int]*search.Trial
}

var _ search.Storage = (*Memory)(nil)

// NewMemory returns an empty in-memory store (a *Memory).
func NewMemory() search.Storage {
	return &Memory{studies: map[string]*memStudy{}}
}

// CreateStudy implements search.Storage.
func (m *Memory) CreateStudy(info search.StudyInfo) error {
	if err := check.Study(info); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.studies[info.Name]; ok {
		return check.Exists(info.Name)
	}
	m.studies[info.Name] = &memStudy{info: cloneInfo(info), trials: map[int]*search.Trial{}}
	return nil
}

// LoadStudy implements search.Storage.
func (m *Memory) LoadStudy(name string) (search.StudyInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.studies[name]
	if !ok {
		return search.StudyInfo{}, check.NoStudy(name)
	}
	return cloneInfo(s.info), nil
}

// ListStudies implements search.Storage; studies come sorted by name.
func (m *Memory) ListStudies() ([]search.StudyInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]search.StudyInfo, 0, len(m.studies))
	for _, s := range m.studies {
		out = append(out, cloneInfo(s.info))
	}
	slices.SortFunc(out, func(a, b search.StudyInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// DeleteStudy removes a study and all its trials.
func (m *Memory) DeleteStudy(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.studies[name]; !ok {
		return check.NoStudy(name)
	}
	delete(m.studies, name)
	return nil
}

// Trials implements search.Storage.
func (m *Memory) Trials(study string) ([]search.Trial, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.studies[study]
	if !ok {
		return nil, check.NoStudy(study)
	}
	ids := slices.Sorted(maps.Keys(s.trials))
	out := make([]search.Trial, len(ids))
	for i, id := range ids {
		out[i] = cloneTrial(*s.trials[id])
	}
	return out, nil
}

// StartTrial implements search.Storage.
func (m *Memory) StartTrial(study string, t search.Trial) error {
	if err := check.Start(study, t); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.studies[study]
	if !ok {
		return check.NoStudy(study)
	}
	if old, ok := s.trials[t.ID]; ok && old.State.Finished() {
		return check.Finished(study, t.ID)
	}
	c := cloneTrial(t)
	c.State = search.Running
	c.Values, c.Curve, c.Finished = nil, nil, time.Time{}
	s.trials[t.ID] = &c
	return nil
}

// Report implements search.Storage.
func (m *Memory) Report(study string, id, step int, value float64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.running(study, id)
	if err != nil {
		return err
	}
	t.Curve = append(t.Curve, search.Step{Step: step, Value: value})
	return nil
}

// FinishTrial implements search.Storage.
func (m *Memory) FinishTrial(study string, t search.Trial) error {
	if err := check.Finish(study, t); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old, err := m.running(study, t.ID)
	if err != nil {
		return err
	}
	c := cloneTrial(t)
	old.State = c.State
	old.Values = c.Values
	if len(c.Curve) > 0 {
		old.Curve = c.Curve
	}
	old.Attrs = c.Attrs
	old.Finished = c.Finished
	return nil
}

// Close implements search.Storage; a Memory store keeps working after it.
func (m *Memory) Close() error { return nil }

// running returns the stored, running trial; m.mu is held.
func (m *Memory) running(study string, id int) (*search.Trial, error) {
	s, ok := m.studies[study]
	if !ok {
		return nil, check.NoStudy(study)
	}
	t, ok := s.trials[id]
	switch {
	case !ok:
		return nil, check.NoTrial(study, id)
	case t.State.Finished():
		return nil, check.Finished(study, id)
	}
	return t, nil
}

// cloneInfo deep-copies a study definition, normalizing it as a database
// round trip does (UTC times, nil for empty).
func cloneInfo(in search.StudyInfo) search.StudyInfo {
	out := in
	out.Directions = cloneSlice(in.Directions)
	out.Params = nil
	for _, p := range in.Params {
		p.Choices = cloneSlice(p.Choices)
		out.Params = append(out.Params, p)
	}
	out.Attrs = cloneMap(in.Attrs)
	out.Created = check.UTC(in.Created)
	return out
}

// cloneTrial deep-copies a trial, its architecture included, normalizing it
// as a database round trip does.
func cloneTrial(in search.Trial) search.Trial {
	out := in
	out.Params = space.Point(cloneSlice(in.Params))
	out.Arch = cloneArch(in.Arch)
	out.Values = cloneSlice(in.Values)
	out.Curve = cloneSlice(in.Curve)
	out.Attrs = cloneMap(in.Attrs)
	out.Started = check.UTC(in.Started)
	out.Finished = check.UTC(in.Finished)
	return out
}

func cloneArch(a *graph.Arch) *graph.Arch {
	if a == nil {
		return nil
	}
	c := &graph.Arch{Labels: cloneMap(a.Labels)}
	if a.Input != nil {
		c.Input = append(graph.Shape{}, a.Input...)
	}
	if a.Nodes != nil {
		c.Nodes = make([]graph.Node, len(a.Nodes))
		for i, n := range a.Nodes {
			n.Attrs = cloneMap(n.Attrs)
			n.Inputs = cloneSlice(n.Inputs)
			c.Nodes[i] = n
		}
	}
	return c
}

// cloneSlice copies s; an empty s gives nil.
func cloneSlice[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append([]T(nil), s...)
}

// cloneMap copies m; an empty m gives nil.
func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}
