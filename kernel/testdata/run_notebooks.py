"""Execute notebooks/go/*.ipynb with nbclient against the installed kernel and
check their outputs. Run by TestKernelNotebooks (cmd/morphml/kernel_test.go).
"""
import glob
import os
import sys

import nbclient
import nbformat

NAME = os.environ.get("MORPHML_KERNEL_NAME", "morphml-go")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "notebooks", "go")

# what each notebook's outputs must contain: (MIME type, text it includes)
EXPECT = {
    "quickstart.ipynb": [("text/html", "<table"), ("image/png", ""), ("image/svg+xml", "<svg")],
}

failed = False
for path in sorted(glob.glob(os.path.join(ROOT, "*.ipynb"))):
    name = os.path.basename(path)
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name=NAME, timeout=600, allow_errors=False)
    try:
        client.execute()
    except Exception as e:  # CellExecutionError
        print(f"FAIL {name}: {e}", file=sys.stderr)
        failed = True
        continue
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    for mime, text in EXPECT.get(name, []):
        if not any(mime in o.get("data", {}) and text in o["data"][mime] for o in outputs):
            print(f"FAIL {name}: no {mime} output containing {text!r}", file=sys.stderr)
            failed = True
    print(f"ok {name}: {len(outputs)} outputs")
sys.exit(1 if failed else 0)
