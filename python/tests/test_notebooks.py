"""The example notebooks in notebooks/python run top to bottom in a real
Jupyter kernel (ipykernel through nbclient) and show tables and figures."""

import glob
import os

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "python", "*.ipynb")))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_notebook_runs(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    mimes = [m for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             for m in o.get("data", {})]
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    assert "image/png" in mimes and "image/svg+xml" in mimes, mimes
    assert "text/html" in mimes, mimes  # DataFrames and studies render as tables
