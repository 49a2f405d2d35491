package bind

import "strings"

// docs maps import path -> name ("Study", "Study.Ask", "NewStudy") -> doc.
// Generated files fill it in init.
var docs = map[string]map[string]string{}

// names maps a package's name ("search") to its import path.
var names = map[string]string{}

func register(path, name string, d map[string]string) {
	docs[path] = d
	names[name] = path
}

// Doc returns the documentation of a dotted name as cells write it
// ("search.NewStudy", "search.Study.Ask"), or "" when it is unknown. The
// first element is taken as the name of a bound package.
func Doc(name string) string {
	pkg, rest, ok := strings.Cut(name, ".")
	if !ok {
		return ""
	}
	return docs[names[pkg]][rest]
}

// Packages lists the import paths bound into the interpreter.
func Packages() []string {
	out := make([]string, 0, len(docs))
	for p := range docs {
		out = append(out, p)
	}
	return out
}
