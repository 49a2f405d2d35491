package display_test

import (
	"fmt"

	"github.com/morphml/morphml/kernel/display"
)

func ExampleRender() {
	b := display.Render(display.HTML("<b>best</b>"))
	fmt.Println(b.Data["text/html"], b.Data["text/plain"])
	// Output: <b>best</b> <HTML>
}
