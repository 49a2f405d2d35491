"""Execute notebooks/go/*.ipynb with nbclient against the installed kernel and
check their outputs. Run by TestKernelNotebooks (cmd/morphml/kernel_test.go).

MORPHML_NOTEBOOKS (comma-separated file names) picks the notebooks; by default
every one but gpu.ipynb, which TestKernelNotebookOnXLAPlugin runs with an XLA
plugin (it would train on XLA's slow pure-Go backend without one).
"""
import glob
import os
import sys
import time

import nbclient
import nbformat

NAME = os.environ.get("MORPHML_KERNEL_NAME", "morphml-go")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "notebooks", "go")

# what each notebook's outputs must contain: (MIME type or "stream", text it includes)
EXPECT = {
    "quickstart.ipynb": [("text/html", "<table"), ("image/png", ""), ("image/svg+xml", "<svg")],
    "digits.ipynb": [
        ("text/html", "morphml-progress"),  # the live progress, redrawn in place...
        ("text/html", "6 / 6</b> trials"),  # ...ends showing every trial
        ("text/html", "<table"),
        ("image/png", ""),
        ("stream", "read back from SQLite"),  # the %%go cell
    ],
    "gpu.ipynb": [
        ("stream", "training on: xla on xla:"),  # a PJRT plugin, not the pure-Go backend
        ("text/html", "4 / 4</b> trials"),
        ("stream", "first step after"),
    ],
}
ONLY = [n for n in os.environ.get("MORPHML_NOTEBOOKS", "").split(",") if n]


def has(outputs, mime, text):
    if mime == "stream":
        return any(o.get("output_type") == "stream" and text in o.get("text", "") for o in outputs)
    return any(mime in o.get("data", {}) and text in o["data"][mime] for o in outputs)


failed = False
for path in sorted(glob.glob(os.path.join(ROOT, "*.ipynb"))):
    name = os.path.basename(path)
    if (ONLY and name not in ONLY) or (not ONLY and name == "gpu.ipynb"):
        continue
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name=NAME, timeout=600, allow_errors=False)
    t0 = time.perf_counter()
    try:
        client.execute()
    except Exception as e:  # CellExecutionError
        print(f"FAIL {name}: {e}", file=sys.stderr)
        failed = True
        continue
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    for mime, text in EXPECT.get(name, []):
        if not has(outputs, mime, text):
            print(f"FAIL {name}: no {mime} output containing {text!r}", file=sys.stderr)
            failed = True
    print(f"ok {name}: {len(outputs)} outputs in {time.perf_counter() - t0:.1f} s")
sys.exit(1 if failed else 0)
