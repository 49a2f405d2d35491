"""Builds the morphml wheel: the pure-Python package in python/morphml plus
the Go engine, compiled by gopy into the extension morphml._core.

Building needs Go (the version in go.mod), a C compiler and the Python
headers; gopy and goimports are pinned as `tool` lines in go.mod and built
from the module cache. See python/README.md ("Building wheels").
"""

import os
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class GopyBuild(build_ext):
    """Builds morphml._core with gopy instead of compiling C sources."""

    def build_extension(self, ext):
        go = shutil.which("go")
        if go is None:
            raise RuntimeError("building morphml needs Go 1.26 or newer on PATH (https://go.dev/dl/)")
        work = os.path.join(ROOT, "_build")  # inside the Go module, ignored by `go ... ./...`
        tools = os.path.join(work, "tools")
        out = os.path.join(work, "gopy")
        os.makedirs(tools, exist_ok=True)
        shutil.rmtree(out, ignore_errors=True)
        env = dict(os.environ)
        env["PATH"] = tools + os.pathsep + os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        env.setdefault("CGO_ENABLED", "1")
        run = lambda *cmd: subprocess.run(cmd, cwd=ROOT, env=env, check=True)  # noqa: E731
        run(go, "build", "-o", tools + os.sep, "golang.org/x/tools/cmd/goimports", "github.com/go-python/gopy")
        run(os.path.join(tools, "gopy"), "build", "-output=" + out, "-name=core", "-vm=" + sys.executable,
            "-dynamic-link=true", "-symbols=false", "-no-make=true", "./bindings")
        dest = os.path.dirname(self.get_ext_fullpath(ext.name))
        os.makedirs(dest, exist_ok=True)
        so = "_core" + sysconfig.get_config_var("EXT_SUFFIX")
        shutil.copyfile(os.path.join(out, so), self.get_ext_fullpath(ext.name))
        for name in ("bindings.py", "go.py"):
            shutil.copyfile(os.path.join(out, name), os.path.join(dest, name))
        with open(os.path.join(dest, "__init__.py"), "w") as f:
            f.write('"""The MorphML engine, compiled from Go by gopy (generated: do not edit)."""\n')


setup(
    ext_modules=[Extension("morphml._core._core", sources=[])],
    cmdclass={"build_ext": GopyBuild},
)
