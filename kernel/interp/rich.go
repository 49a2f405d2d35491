package interp

import (
	"encoding/base64"
	"reflect"

	xr "github.com/cosmos72/gomacro/xreflect"

	"github.com/morphml/morphml/kernel/display"
)

// Types declared in cells have their methods in the interpreter, not in
// reflect: display.Render cannot see them, so the display methods of such
// values are looked up through gomacro's types and called here.

var textMethods = map[string]string{
	"HTML":     display.MIMEHTML,
	"Markdown": display.MIMEMarkdown,
	"SVG":      display.MIMESVG,
	"LaTeX":    display.MIMELaTeX,
}

var binaryMethods = map[string]string{
	"PNG":  display.MIMEPNG,
	"JPEG": display.MIMEJPEG,
}

// interpretedBundle renders a value of a cell-declared type by its
// interpreted display methods; ok is false when it has none.
func interpretedBundle(v xr.Value, t xr.Type) (b display.Bundle, ok bool) {
	if t == nil || !v.IsValid() {
		return b, false
	}
	b = display.Bundle{Data: map[string]any{}, Metadata: map[string]any{}}
	for name, mime := range textMethods {
		if out, good := callMethod(v, t, name); good && out.Kind() == reflect.String && out.String() != "" {
			b.Data[mime] = out.String()
		}
	}
	for name, mime := range binaryMethods {
		if out, good := callMethod(v, t, name); good && out.Kind() == reflect.Slice && out.Len() > 0 {
			if p, isBytes := out.Interface().([]byte); isBytes {
				b.Data[mime] = base64.StdEncoding.EncodeToString(p)
			}
		}
	}
	if len(b.Data) == 0 {
		return b, false
	}
	if out, good := callMethod(v, t, "String"); good && out.Kind() == reflect.String {
		b.Data[display.MIMEText] = out.String()
	} else if v.CanInterface() {
		b.Data[display.MIMEText] = display.Text(v.Interface())
	}
	return b, true
}

// callMethod calls an interpreted method without arguments and with one
// result; good is false when there is none or it panics.
func callMethod(v xr.Value, t xr.Type, name string) (out reflect.Value, good bool) {
	m, n := t.MethodByName(name, "")
	if n != 1 || m.Funs == nil || m.Index >= len(*m.Funs) {
		return out, false
	}
	fn := (*m.Funs)[m.Index]
	if !fn.IsValid() || fn.Kind() != reflect.Func || fn.Type().NumIn() != 1 || fn.Type().NumOut() != 1 {
		return out, false
	}
	recv := v.ReflectValue()
	want := fn.Type().In(0)
	switch {
	case recv.Type() == want:
	case recv.Kind() == reflect.Pointer && recv.Type().Elem() == want && !recv.IsNil():
		recv = recv.Elem()
	case recv.Type().ConvertibleTo(want):
		recv = recv.Convert(want)
	default:
		return out, false
	}
	defer func() {
		if recover() != nil {
			good = false
		}
	}()
	return fn.Call([]reflect.Value{recv})[0], true
}
