package results

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Names of the fixed columns of the trials table. A parameter column is named
// by its parameter; a parameter whose name is one of these (or value_<i>, or
// an earlier parameter's column) is named ParamPrefix + its name instead.
const (
	ColTrial      = "trial"
	ColState      = "state"
	ColArchHash   = "arch_hash"
	ColArchParams = "arch_params"
	ColArchFLOPs  = "arch_flops"
	ColDuration   = "duration_s"
	ColWorker     = "worker"
	ColStarted    = "started"
	ColFinished   = "finished"
	ColError      = "error"
	ColCachedBy   = "cached_by"

	ColStep  = "step"  // curves table
	ColValue = "value" // curves table

	ParamPrefix = "param_"
)

// ValueColumn is the name of objective i's column: value_0, value_1, ...
// The name does not depend on the number of objectives, so code reading a
// single-objective table also reads a multi-objective one.
func ValueColumn(i int) string { return "value_" + strconv.Itoa(i) }

// Keys of the schema metadata both tables carry.
const (
	MetaVersion    = "morphml.version"    // layout version of the tables, "1"
	MetaTable      = "morphml.table"      // "trials" or "curves"
	MetaStudy      = "morphml.study"      // the study's name
	MetaOptimizer  = "morphml.optimizer"  // registered optimizer name
	MetaSeed       = "morphml.seed"       // decimal
	MetaDirections = "morphml.directions" // JSON list: ["maximize", ...]
	MetaParams     = "morphml.params"     // JSON list of ParamInfo
	MetaAttrs      = "morphml.attrs"      // JSON object: the study's attributes
)

// Version is the layout version written under MetaVersion.
const Version = "1"

// ParamInfo describes one parameter column in the MetaParams metadata.
type ParamInfo struct {
	Name    string   `json:"name"`
	Column  string   `json:"column"` // the column holding it
	Kind    string   `json:"kind"`   // categorical, int or float
	Choices []string `json:"choices,omitempty"`
	Low     float64  `json:"low,omitempty"`
	High    float64  `json:"high,omitempty"`
	Log     bool     `json:"log,omitempty"`
}

var (
	tsUTC     = &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}
	stateType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
)

// stateNames are the dictionary of the state column; index = search.State.
var stateNames = []string{search.Running.String(), search.Complete.String(), search.Pruned.String(), search.Failed.String()}

// indexType is the smallest signed integer type that indexes n choices.
func indexType(n int) arrow.DataType {
	switch {
	case n <= 1<<7:
		return arrow.PrimitiveTypes.Int8
	case n <= 1<<15:
		return arrow.PrimitiveTypes.Int16
	}
	return arrow.PrimitiveTypes.Int32
}

// paramColumns names the parameter columns, avoiding the fixed names.
func paramColumns(info search.StudyInfo) []string {
	taken := map[string]bool{}
	for _, n := range []string{ColTrial, ColState, ColArchHash, ColArchParams, ColArchFLOPs, ColDuration,
		ColWorker, ColStarted, ColFinished, ColError, ColCachedBy} {
		taken[n] = true
	}
	for i := range info.Directions {
		taken[ValueColumn(i)] = true
	}
	out := make([]string, len(info.Params))
	for i, p := range info.Params {
		name := p.Name
		for taken[name] {
			name = ParamPrefix + name
		}
		taken[name] = true
		out[i] = name
	}
	return out
}

func paramType(p space.Param) (arrow.DataType, error) {
	switch p.Kind {
	case space.Categorical:
		return &arrow.DictionaryType{IndexType: indexType(len(p.Choices)), ValueType: arrow.BinaryTypes.String}, nil
	case space.Int:
		return arrow.PrimitiveTypes.Int64, nil
	case space.Float:
		return arrow.PrimitiveTypes.Float64, nil
	}
	return nil, fmt.Errorf("parameter %q: unknown kind %v", p.Name, p.Kind)
}

// metadata is the schema metadata of a table made from info.
func metadata(info search.StudyInfo, table string) (arrow.Metadata, error) {
	dirs := make([]string, len(info.Directions))
	for i, d := range info.Directions {
		dirs[i] = d.String()
	}
	cols := paramColumns(info)
	params := make([]ParamInfo, len(info.Params))
	for i, p := range info.Params {
		params[i] = ParamInfo{Name: p.Name, Column: cols[i], Kind: p.Kind.String(), Choices: p.Choices,
			Low: p.Low, High: p.High, Log: p.Log}
		if p.Kind == space.Categorical {
			params[i].Low, params[i].High, params[i].Log = 0, 0, false
		}
	}
	d, err := json.Marshal(dirs)
	if err != nil {
		return arrow.Metadata{}, err
	}
	ps, err := json.Marshal(params)
	if err != nil {
		return arrow.Metadata{}, err
	}
	attrs := info.Attrs
	if attrs == nil {
		attrs = map[string]string{}
	}
	as, err := json.Marshal(attrs)
	if err != nil {
		return arrow.Metadata{}, err
	}
	return arrow.NewMetadata(
		[]string{MetaVersion, MetaTable, MetaStudy, MetaOptimizer, MetaSeed, MetaDirections, MetaParams, MetaAttrs},
		[]string{Version, table, info.Name, info.Optimizer, strconv.FormatInt(info.Seed, 10), string(d), string(ps), string(as)},
	), nil
}

// TrialsSchema is the schema Trials gives for a study.
func TrialsSchema(info search.StudyInfo) (*arrow.Schema, error) {
	md, err := metadata(info, "trials")
	if err != nil {
		return nil, fmt.Errorf("study %q: schema metadata: %w", info.Name, err)
	}
	fields := []arrow.Field{
		{Name: ColTrial, Type: arrow.PrimitiveTypes.Int64},
		{Name: ColState, Type: stateType},
	}
	for i, col := range paramColumns(info) {
		t, err := paramType(info.Params[i])
		if err != nil {
			return nil, fmt.Errorf("study %q: %w", info.Name, err)
		}
		fields = append(fields, arrow.Field{Name: col, Type: t, Nullable: true})
	}
	for i := range info.Directions {
		fields = append(fields, arrow.Field{Name: ValueColumn(i), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
	}
	fields = append(fields,
		arrow.Field{Name: ColArchHash, Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: ColArchParams, Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: ColArchFLOPs, Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: ColDuration, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		arrow.Field{Name: ColWorker, Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: ColStarted, Type: tsUTC, Nullable: true},
		arrow.Field{Name: ColFinished, Type: tsUTC, Nullable: true},
		arrow.Field{Name: ColError, Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: ColCachedBy, Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	)
	return arrow.NewSchema(fields, &md), nil
}

// CurvesSchema is the schema Curves gives for a study.
func CurvesSchema(info search.StudyInfo) (*arrow.Schema, error) {
	md, err := metadata(info, "curves")
	if err != nil {
		return nil, fmt.Errorf("study %q: schema metadata: %w", info.Name, err)
	}
	return arrow.NewSchema([]arrow.Field{
		{Name: ColTrial, Type: arrow.PrimitiveTypes.Int64},
		{Name: ColStep, Type: arrow.PrimitiveTypes.Int64},
		{Name: ColValue, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, &md), nil
}

// Info reads the study settings back from a table's schema metadata: name,
// optimizer, seed, directions, parameters and attributes (not the source
// text, nor the creation time).
func Info(schema *arrow.Schema) (search.StudyInfo, error) {
	var info search.StudyInfo
	if schema == nil {
		return info, fmt.Errorf("results: no schema")
	}
	md := schema.Metadata()
	get := func(key string) (string, error) {
		i := md.FindKey(key)
		if i < 0 {
			return "", fmt.Errorf("results: schema metadata has no %q (not a MorphML table?)", key)
		}
		return md.Values()[i], nil
	}
	v, err := get(MetaVersion)
	if err != nil {
		return info, err
	}
	if v != Version {
		return info, fmt.Errorf("results: table layout version %q, this build reads %q", v, Version)
	}
	if info.Name, err = get(MetaStudy); err != nil {
		return info, err
	}
	if info.Optimizer, err = get(MetaOptimizer); err != nil {
		return info, err
	}
	s, err := get(MetaSeed)
	if err != nil {
		return info, err
	}
	if info.Seed, err = strconv.ParseInt(s, 10, 64); err != nil {
		return info, fmt.Errorf("results: metadata %s: %w", MetaSeed, err)
	}
	var dirs []string
	if err := getJSON(get, MetaDirections, &dirs); err != nil {
		return info, err
	}
	for _, d := range dirs {
		dir, err := search.ParseDirection(d)
		if err != nil {
			return info, fmt.Errorf("results: metadata %s: %w", MetaDirections, err)
		}
		info.Directions = append(info.Directions, dir)
	}
	var params []ParamInfo
	if err := getJSON(get, MetaParams, &params); err != nil {
		return info, err
	}
	for _, p := range params {
		sp := space.Param{Name: p.Name, Choices: p.Choices, Low: p.Low, High: p.High, Log: p.Log}
		switch p.Kind {
		case "categorical":
			sp.Kind = space.Categorical
		case "int":
			sp.Kind = space.Int
		case "float":
			sp.Kind = space.Float
		default:
			return info, fmt.Errorf("results: metadata %s: parameter %q has unknown kind %q", MetaParams, p.Name, p.Kind)
		}
		info.Params = append(info.Params, sp)
	}
	if md.FindKey(MetaAttrs) >= 0 {
		if err := getJSON(get, MetaAttrs, &info.Attrs); err != nil {
			return info, err
		}
	}
	return info, nil
}

func getJSON(get func(string) (string, error), key string, v any) error {
	s, err := get(key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("results: metadata %s: %w", key, err)
	}
	return nil
}
