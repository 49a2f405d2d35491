// Package generate writes the reflection tables of package bind: for each
// bound package, one file that registers its exported non-generic functions,
// variables, constants and types in gomacro's import registry, proxies that
// let interpreted types implement its interfaces, and the documentation of
// its names.
package generate

import (
	"bytes"
	"fmt"
	"go/constant"
	"go/doc"
	"go/format"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Packages are the import paths bound into the kernel's interpreter.
var Packages = []string{
	"github.com/morphml/morphml/core/bench",
	"github.com/morphml/morphml/core/graph",
	"github.com/morphml/morphml/core/results",
	"github.com/morphml/morphml/core/search",
	"github.com/morphml/morphml/core/space",
	"github.com/morphml/morphml/core/store/sqlite",
	"github.com/morphml/morphml/core/train",
	"github.com/morphml/morphml/core/train/data",
	"github.com/morphml/morphml/core/train/gorgonia",
	"github.com/morphml/morphml/core/train/xla",
	"github.com/morphml/morphml/kernel/display",
	"github.com/morphml/morphml/kernel/nb",
	"github.com/morphml/morphml/plots",
}

// FileName is the name of the generated file of a package.
func FileName(path string) string {
	path = strings.TrimPrefix(path, "github.com/morphml/morphml/")
	return "x_" + strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(path) + ".go"
}

// Generate loads the packages (dir is any directory inside the module) and
// returns the generated files by name.
func Generate(dir string, paths []string) (map[string][]byte, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedImports,
		Dir:  dir,
	}
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		return nil, fmt.Errorf("generate: load: %w", err)
	}
	out := map[string][]byte{}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			return nil, fmt.Errorf("generate: %s: %v", p.PkgPath, p.Errors[0])
		}
		src, err := file(p)
		if err != nil {
			return nil, err
		}
		out[FileName(p.PkgPath)] = src
	}
	return out, nil
}

// gen writes one file.
type gen struct {
	pkg     *types.Package
	imports map[string]string // path -> alias
	used    map[string]bool   // aliases taken
	body    bytes.Buffer
	proxies bytes.Buffer
}

func (g *gen) alias(p *types.Package) string {
	if a, ok := g.imports[p.Path()]; ok {
		return a
	}
	a := p.Name()
	for i := 2; g.used[a] || a == "imports" || a == "reflect" || a == "bind"; i++ {
		a = fmt.Sprintf("%s%d", p.Name(), i)
	}
	g.imports[p.Path()] = a
	g.used[a] = true
	return a
}

// typeString writes t with package aliases; ok is false when t names an
// unexported type of another package (it cannot be written in Go source).
func (g *gen) typeString(t types.Type) (s string, ok bool) {
	ok = true
	s = types.TypeString(t, func(p *types.Package) string { return g.alias(p) })
	var walk func(t types.Type)
	seen := map[types.Type]bool{}
	walk = func(t types.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		switch x := t.(type) {
		case *types.Named:
			if !x.Obj().Exported() && x.Obj().Pkg() != nil {
				ok = false
			}
			if x.TypeArgs().Len() > 0 {
				ok = false
			}
		case *types.Alias:
			walk(types.Unalias(x))
		case *types.Pointer:
			walk(x.Elem())
		case *types.Slice:
			walk(x.Elem())
		case *types.Array:
			walk(x.Elem())
		case *types.Map:
			walk(x.Key())
			walk(x.Elem())
		case *types.Chan:
			walk(x.Elem())
		case *types.Signature:
			for i := 0; i < x.Params().Len(); i++ {
				walk(x.Params().At(i).Type())
			}
			for i := 0; i < x.Results().Len(); i++ {
				walk(x.Results().At(i).Type())
			}
		case *types.Struct:
			for i := 0; i < x.NumFields(); i++ {
				walk(x.Field(i).Type())
			}
		case *types.Interface:
			for i := 0; i < x.NumMethods(); i++ {
				walk(x.Method(i).Type())
			}
		}
	}
	walk(t)
	return s, ok
}

func file(p *packages.Package) ([]byte, error) {
	g := &gen{pkg: p.Types, imports: map[string]string{}, used: map[string]bool{}}
	self := g.alias(p.Types)
	scope := p.Types.Scope()
	names := scope.Names()
	sort.Strings(names)

	binds := map[string]string{}
	typesMap := map[string]string{}
	untypeds := map[string]string{}
	proxies := map[string]string{}
	wrappers := map[string][]string{}

	for _, name := range names {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		q := self + "." + name
		switch o := obj.(type) {
		case *types.Func:
			if o.Type().(*types.Signature).TypeParams().Len() > 0 {
				continue // gomacro cannot bind generic functions
			}
			binds[name] = fmt.Sprintf("ValueOf(%s)", q)
		case *types.Var:
			binds[name] = fmt.Sprintf("ValueOf(&%s).Elem()", q)
		case *types.Const:
			b, isBasic := o.Type().(*types.Basic)
			if isBasic && b.Info()&types.IsUntyped != 0 {
				m, ok := marshalUntyped(b, o.Val())
				if !ok {
					continue
				}
				untypeds[name] = m
			}
			binds[name] = fmt.Sprintf("ValueOf(%s)", q)
		case *types.TypeName:
			if named, ok := types.Unalias(o.Type()).(*types.Named); ok && named.TypeParams().Len() > 0 {
				continue // nor generic types
			}
			if _, ok := types.Unalias(o.Type()).(*types.Named); !ok && !o.IsAlias() {
				continue
			}
			if o.IsAlias() {
				if n, ok := types.Unalias(o.Type()).(*types.Named); ok && n.TypeArgs().Len() > 0 {
					continue // an instantiated generic type
				}
			}
			typesMap[name] = fmt.Sprintf("TypeOf((*%s)(nil)).Elem()", q)
			if w := promoted(o.Type()); len(w) > 0 {
				wrappers[name] = w
			}
			if iface, ok := o.Type().Underlying().(*types.Interface); ok && !o.IsAlias() {
				if pname, ok := g.proxy(name, iface); ok {
					proxies[name] = fmt.Sprintf("TypeOf((*%s)(nil)).Elem()", pname)
				}
			}
		}
	}

	docs := docsOf(p)

	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by kernel/bind/internal/cmd/bindgen; DO NOT EDIT.\n\npackage bind\n\nimport (\n\t. \"reflect\"\n\n\t\"github.com/cosmos72/gomacro/imports\"\n")
	paths := make([]string, 0, len(g.imports))
	for path := range g.imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		fmt.Fprintf(&b, "\t%s %q\n", g.imports[path], path)
	}
	fmt.Fprintf(&b, ")\n\n// reflection: allow interpreted code to import %q\nfunc init() {\n", p.PkgPath)
	fmt.Fprintf(&b, "\timports.Packages[%q] = imports.Package{\n\t\tName: %q,\n", p.PkgPath, p.Types.Name())
	writeMap(&b, "Binds", "map[string]Value", binds)
	writeMap(&b, "Types", "map[string]Type", typesMap)
	writeMap(&b, "Proxies", "map[string]Type", proxies)
	quoted := map[string]string{}
	for k, v := range untypeds {
		quoted[k] = fmt.Sprintf("%q", v)
	}
	writeMap(&b, "Untypeds", "map[string]string", quoted)
	wq := map[string]string{}
	for k, v := range wrappers {
		wq[k] = fmt.Sprintf("%#v", v)
	}
	writeMap(&b, "Wrappers", "map[string][]string", wq)
	fmt.Fprintf(&b, "\t}\n")
	dq := map[string]string{}
	for k, v := range docs {
		dq[k] = fmt.Sprintf("%q", v)
	}
	fmt.Fprintf(&b, "\tregister(%q, %q, ", p.PkgPath, p.Types.Name())
	writeMapValue(&b, "map[string]string", dq, "\t")
	fmt.Fprintf(&b, ")\n}\n")
	b.Write(g.proxies.Bytes())
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generate %s: %w\n%s", p.PkgPath, err, b.Bytes())
	}
	return src, nil
}

func writeMap(b *bytes.Buffer, field, typ string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	fmt.Fprintf(b, "\t\t%s: ", field)
	writeMapValue(b, typ, m, "\t\t")
	b.WriteString(",\n")
}

func writeMapValue(b *bytes.Buffer, typ string, m map[string]string, indent string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(b, "%s{\n", typ)
	for _, k := range keys {
		fmt.Fprintf(b, "%s\t%q: %s,\n", indent, k, m[k])
	}
	fmt.Fprintf(b, "%s}", indent)
}

// marshalUntyped writes an untyped constant as gomacro's imports expect
// ("int:42", "float:1/3", "string:abc"); ok is false for constants whose
// default type cannot hold them.
func marshalUntyped(b *types.Basic, v constant.Value) (string, bool) {
	switch b.Kind() {
	case types.UntypedBool:
		return fmt.Sprintf("bool:%v", constant.BoolVal(v)), true
	case types.UntypedInt:
		if _, exact := constant.Int64Val(v); !exact {
			return "", false
		}
		return "int:" + v.ExactString(), true
	case types.UntypedRune:
		return "rune:" + v.ExactString(), true
	case types.UntypedFloat:
		return "float:" + v.ExactString(), true
	case types.UntypedString:
		return "string:" + constant.StringVal(v), true
	}
	return "", false
}

// promoted lists the exported methods of t (and *t) that come from embedded
// fields: reflect cannot tell them from declared ones, gomacro needs to.
func promoted(t types.Type) []string {
	if _, ok := t.Underlying().(*types.Interface); ok {
		return nil
	}
	ms := types.NewMethodSet(types.NewPointer(t))
	var out []string
	for i := 0; i < ms.Len(); i++ {
		sel := ms.At(i)
		if len(sel.Index()) > 1 && sel.Obj().Exported() {
			out = append(out, sel.Obj().Name())
		}
	}
	sort.Strings(out)
	return out
}

// proxy writes a struct that implements iface by calling function fields,
// which is how gomacro lets interpreted types satisfy compiled interfaces.
func (g *gen) proxy(name string, iface *types.Interface) (string, bool) {
	if iface.NumMethods() == 0 {
		return "", false
	}
	for i := 0; i < iface.NumMethods(); i++ {
		if !iface.Method(i).Exported() {
			return "", false
		}
		if _, ok := g.typeString(iface.Method(i).Type()); !ok {
			return "", false
		}
	}
	pname := "P_" + strings.ReplaceAll(g.pkg.Path()[strings.LastIndex(g.pkg.Path(), "/")+1:], ".", "_") + "_" + name
	var fields, methods bytes.Buffer
	fmt.Fprintf(&fields, "\n// --------------- proxy for %s.%s ---------------\n\ntype %s struct {\n\tObject any\n", g.pkg.Name(), name, pname)
	for i := 0; i < iface.NumMethods(); i++ {
		m := iface.Method(i)
		sig := m.Type().(*types.Signature)
		var params, args []string
		for j := 0; j < sig.Params().Len(); j++ {
			ts, _ := g.typeString(sig.Params().At(j).Type())
			if sig.Variadic() && j == sig.Params().Len()-1 {
				ts = "..." + strings.TrimPrefix(ts, "[]")
				args = append(args, fmt.Sprintf("a%d...", j))
			} else {
				args = append(args, fmt.Sprintf("a%d", j))
			}
			params = append(params, fmt.Sprintf("a%d %s", j, ts))
		}
		var results []string
		for j := 0; j < sig.Results().Len(); j++ {
			ts, _ := g.typeString(sig.Results().At(j).Type())
			results = append(results, ts)
		}
		res := strings.Join(results, ", ")
		if len(results) > 1 {
			res = "(" + res + ")"
		}
		fmt.Fprintf(&fields, "\t%s_ func(%s) %s\n", m.Name(), strings.Join(append([]string{"_proxy_obj_ any"}, params...), ", "), res)
		ret := "return "
		if len(results) == 0 {
			ret = ""
		}
		fmt.Fprintf(&methods, "\nfunc (P *%s) %s(%s) %s {\n\t%sP.%s_(%s)\n}\n", pname, m.Name(), strings.Join(params, ", "), res, ret,
			m.Name(), strings.Join(append([]string{"P.Object"}, args...), ", "))
	}
	fields.WriteString("}\n")
	g.proxies.Write(fields.Bytes())
	g.proxies.Write(methods.Bytes())
	return pname, true
}

// docsOf collects the first paragraph of the documentation of every exported
// name, with its declaration, keyed as cells write it: "NewStudy",
// "Study", "Study.Ask".
func docsOf(p *packages.Package) map[string]string {
	d, err := doc.NewFromFiles(p.Fset, p.Syntax, p.PkgPath, doc.PreserveAST)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	qual := func(q *types.Package) string {
		if q == p.Types {
			return p.Types.Name()
		}
		return q.Name()
	}
	add := func(key, text string) {
		if obj := lookup(p.Types, key); obj != nil {
			decl := types.ObjectString(obj, qual)
			if text = firstParagraph(text); text != "" {
				decl += "\n\n" + text
			}
			out[key] = decl
		}
	}
	for _, f := range d.Funcs {
		add(f.Name, f.Doc)
	}
	for _, t := range d.Types {
		add(t.Name, t.Doc)
		for _, f := range t.Funcs {
			add(f.Name, f.Doc)
		}
		for _, m := range t.Methods {
			add(t.Name+"."+m.Name, m.Doc)
		}
	}
	for _, vs := range append(append([]*doc.Value{}, d.Consts...), d.Vars...) {
		for _, n := range vs.Names {
			add(n, vs.Doc)
		}
	}
	return out
}

// lookup finds an exported package-level object or a method "T.M"; generic
// ones are left out as they are not bound.
func lookup(pkg *types.Package, key string) types.Object {
	tname, mname, isMethod := strings.Cut(key, ".")
	obj := pkg.Scope().Lookup(tname)
	if obj == nil || !obj.Exported() {
		return nil
	}
	if f, ok := obj.(*types.Func); ok && f.Type().(*types.Signature).TypeParams().Len() > 0 {
		return nil
	}
	if !isMethod {
		return obj
	}
	m, _, _ := types.LookupFieldOrMethod(types.NewPointer(obj.Type()), true, pkg, mname)
	if m == nil || !m.Exported() {
		return nil
	}
	return m
}

func firstParagraph(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 800 {
		s = s[:800] + "..."
	}
	return s
}
