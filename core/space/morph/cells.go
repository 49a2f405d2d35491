package morph

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/train/data"
)

var classesParam = param{name: "classes", ty: tyInt, def: "from Evaluate's dataset (benchmark or train), else 10", doc: "outputs of the classifier head, >= 1"}

// cellSigs are the cells: Cell.nb201(...) and Cell(...).
var cellSigs = []*sig{
	{name: "Cell.nb201", doc: "the NAS-Bench-201 space: a 4-node cell whose 6 edges are each one of none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3 (15625 architectures), in the benchmark's network on [3, 32, 32] inputs", params: []param{
		classesParam,
	}},
	{name: "Cell", doc: "a cell space: every edge j -> i (j < i) of a DAG of nodes takes one of ops; the network stacks the cell in stages joined by reduction blocks, as NAS-Bench-201 does", params: []param{
		{name: "nodes", ty: tyInt, def: "4", doc: "nodes of the cell, counting its input, in [2, 16]"},
		{name: "ops", ty: tyStrs, required: true, doc: "the operations an edge can take: none, skip_connect, nor_conv_KxK, avg_pool_KxK, max_pool_KxK (K odd)"},
		classesParam,
		{name: "stages", ty: tyShape, def: "[16, 32, 64]", doc: "channels of each stage (at most 8 stages, each in [1, 4096])"},
		{name: "cells", ty: tyInt, def: "5", doc: "cells per stage, in [1, 32]"},
	}},
}

func cellSig(name string) *sig {
	for _, s := range cellSigs {
		if s.name == name {
			return s
		}
	}
	return nil
}

// cellSpace builds the space of SearchSpace(cell=...).
func (b *builder) cellSpace(sa *args, name, dataset string) *space.Space {
	v := sa.val("cell")
	if v.kind != vCall {
		sa.typeErr("cell", v, tyCell)
		return nil
	}
	c := v.call
	s := cellSig(c.name)
	if s == nil {
		if c.qual == "Cell" {
			b.e.at(c.memPos, "%s", unknown("cell", c.member, []string{"nb201"}))
		} else {
			b.e.at(c.pos, "expected a cell such as Cell.nb201() or Cell(nodes=4, ops=[...]), got %s(...)", c.name)
		}
		return nil
	}
	a := bind(c, s, b.e)
	def := int64(10)
	if n, ok := nb201Classes[dataset]; ok {
		def = int64(n)
	} else if info, ok := data.Lookup(dataset); ok && info.Classes > 0 {
		def = int64(info.Classes)
	}
	classes, ok := a.int("classes", def, 1, maxWidth)
	if !ok {
		return nil
	}
	if c.name == "Cell.nb201" {
		if sa.has("input") {
			b.e.at(sa.pos("input"), "Cell.nb201 fixes its input to [3, 32, 32]; input applies to layer spaces and Cell(...)")
			return nil
		}
		sp := space.NB201(int(classes))
		sp.Name = name
		b.nb201 = true
		return sp
	}
	cfg := space.CellConfig{Classes: int(classes)}
	nodes, nok := a.int("nodes", 4, 2, 16)
	cfg.Nodes = int(nodes)
	ops, ook := a.strs("ops", "op", nil)
	cfg.Ops = ops
	stages, sok := a.intsOf("stages", 1, 4096, false)
	if len(stages) > 8 {
		b.e.at(a.pos("stages"), "stages must list at most 8 stages, got %d", len(stages))
		sok = false
	}
	cfg.Stages = stages
	cells, cok := a.int("cells", 5, 1, 32)
	cfg.Cells = int(cells)
	if info, ok := data.Lookup(dataset); ok && len(info.Shape) == 3 {
		cfg.Input = info.Shape
	}
	if sa.has("input") {
		in, iok := shape(sa, "input")
		if iok && len(in) != 3 {
			b.e.at(sa.pos("input"), "a cell space needs an image input [channels, height, width], got %v", in)
			iok = false
		}
		cfg.Input, ok = graph.Shape(in), iok
	}
	if !ok || !nok || !ook || !sok || !cok || !a.has("ops") {
		return nil
	}
	sp, err := space.NewCellSpace(name, cfg)
	if err != nil {
		// Point at the operation the error names, else at the list.
		p := a.pos("ops")
		if vs, _ := a.list("ops"); vs != nil {
			for _, v := range vs {
				if strings.Contains(err.Error(), strconv.Quote(v.text)) {
					p = v.pos
					break
				}
			}
		}
		b.e.at(p, "%s", strings.TrimPrefix(err.Error(), fmt.Sprintf("cell space %q: ", name)))
		return nil
	}
	return sp
}
