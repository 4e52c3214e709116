"""Map the repo's layer folders onto the ``stoffel.*`` import namespace (DESIGN.md §1).

pyproject.toml holds all metadata; this file only computes the package list, because
setuptools cannot discover sub-packages under several remapped roots by itself.
"""

from pathlib import Path

from setuptools import setup

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
        for init in sorted((here / folder).rglob("__init__.py")):
            rel = init.parent.relative_to(here / folder)
            sub = ".".join((name, *rel.parts)) if rel.parts else name
            packages.append(sub)
            package_dir[sub] = str(init.parent.relative_to(here))
    return packages, package_dir


PACKAGES, PACKAGE_DIR = _packages()
setup(packages=PACKAGES, package_dir=PACKAGE_DIR)
