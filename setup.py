"""Map the repo's layer folders onto the ``stoffel.*`` import namespace (DESIGN.md §1).

pyproject.toml holds all metadata; this file computes the package list, because setuptools
cannot discover sub-packages under several remapped roots by itself, and declares the optional
C field kernels (runtime/_fieldkernels.c): if they do not build, the runtime uses the same
kernels in Python (stoffel.runtime.kernels).
"""

from pathlib import Path

from setuptools import Extension, setup

ROOTS = {
    "stoffel": "sdk",
    "stoffel.compiler": "compiler",
    "stoffel.vm": "vm",
    "stoffel.runtime": "runtime",
    "stoffel.lsp": "lsp",
    "stoffel.stdlib": "stdlib",
}


def _packages() -> tuple[list[str], dict[str, str]]:
    packages, package_dir = [], {}
    here = Path(__file__).parent
    for name, folder in ROOTS.items():
        package_dir[name] = folder
        root = here / folder
        # Every folder is a package (data-only folders such as stdlib/std included), so
        # setuptools ships them all and does not warn about "importable" data folders.
        for directory in sorted([root, *(d for d in root.rglob("*") if d.is_dir())]):
            rel = directory.relative_to(root)
            if any(part.startswith((".", "_")) or "-" in part for part in rel.parts):
                continue  # __pycache__, .hypothesis, node_modules-like folders
            sub = ".".join((name, *rel.parts)) if rel.parts else name
            packages.append(sub)
            package_dir[sub] = str(directory.relative_to(here))
    return packages, package_dir


PACKAGES, PACKAGE_DIR = _packages()
FIELD_KERNELS = Extension(
    "stoffel.runtime._fieldkernels",
    sources=["runtime/_fieldkernels.c"],
    extra_compile_args=["-O3"],
    optional=True,
)
setup(packages=PACKAGES, package_dir=PACKAGE_DIR, ext_modules=[FIELD_KERNELS])
