"""The README's Python quick start runs as written."""

import os
import re

import pandas as pd

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def test_readme_quickstart(tmp_path, monkeypatch, capsys):
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    m = re.search(r"<!-- python-quickstart:[^>]*-->\s*```python\n(.*?)```", text, re.S)
    assert m, "the README lost its marked Python quick start"
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(m.group(1), "README.md", "exec"), scope)
    assert scope["study"].best_value < 0.1 and scope["study"].best_params["act"] == "gelu"
    assert isinstance(scope["df"], pd.DataFrame) and len(scope["df"]) == 100
    with open(tmp_path / "history.png", "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
