"""jupyter_kernel_test's suite against MorphML's Go kernel.

Run by TestKernelJupyterSuite (cmd/morphml/kernel_test.go), which installs
the kernel into a temporary JUPYTER_PATH and sets MORPHML_KERNEL_NAME.
"""
import os
import unittest

import jupyter_kernel_test

class MorphMLGoKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("MORPHML_KERNEL_NAME", "morphml-go")
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'import "fmt"\nfmt.Println("hello, world")'
    code_stderr = 'import (\n\t"fmt"\n\t"os"\n)\nfmt.Fprintln(os.Stderr, "oops")'

    completion_samples = [
        {"text": "fmt.Print", "matches": {"Print", "Printf", "Println"}},
        {"text": "strings.ToU", "matches": {"ToUpper", "ToUpperSpecial"}},
    ]
    complete_code_samples = ["x := 1", "func f() int {\n\treturn 1\n}", "for i := 0; i < 3; i++ {\n}"]
    incomplete_code_samples = ["func f() {", "x := []int{1,\n2,", "s := `raw"]
    invalid_code_samples = ["x := )", "}", "a := [1}"]

    code_inspect_sample = "search.NewStudy"
    code_page_something = "?search.Study.Optimize"

    code_generate_error = 'panic("this cell fails")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": 'import "strings"\nstrings.Repeat("ab", 3)', "result": '"ababab"'},
        {"code": "1+2", "result": "3"},
    ]
    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")

    # display and nb are imported in every cell
    code_display_data = [
        {"code": 'nb.Display(nb.HTML("<b>bold</b>"))', "mime": "text/html"},
        {"code": 'nb.Display(nb.PNG([]byte("\\x89PNG\\r\\n\\x1a\\n")))', "mime": "image/png"},
    ]

    code_clear_output = "nb.ClearOutput(false)"


if __name__ == "__main__":
    unittest.main()
