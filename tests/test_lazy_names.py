"""The packages that import their public names on first use state each name twice: once under
``if TYPE_CHECKING:`` (for type checkers and readers) and once in ``_LAZY`` (for
``__getattr__``). The two lists must agree, or a name is typed but fails at run time (or the
reverse), and ``__all__`` must name only what the package can give."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect

import pytest

PACKAGES = ["restvarme", "restvarme.accounting", "restvarme.report"]


def _type_checking_imports(package: str) -> dict[str, str]:
    """Name -> full module path of every ``from X import name`` under ``if TYPE_CHECKING:``;
    ``from restvarme import accounting`` maps ``accounting`` to ``restvarme.accounting``."""
    tree = ast.parse(inspect.getsource(importlib.import_module(package)))
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom), ast.unparse(statement)
                assert statement.module is not None
                for alias in statement.names:
                    submodule = f"{statement.module}.{alias.name}"
                    is_submodule = (
                        statement.module == package
                        and importlib.util.find_spec(submodule) is not None
                    )
                    names[alias.asname or alias.name] = (
                        submodule if is_submodule else statement.module
                    )
    return names


def _lazy_modules(package: str) -> dict[str, str]:
    """Name -> full module path from the package's ``_LAZY`` table (the accounting package
    gives its modules relative to itself)."""
    module = importlib.import_module(package)
    return {
        name: target if target.startswith("restvarme") else f"{package}.{target}"
        for name, target in module._LAZY.items()
    }


@pytest.mark.parametrize("package", PACKAGES)
def test_the_lazy_table_lists_what_type_checkers_see(package):
    assert _lazy_modules(package) == _type_checking_imports(package)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_lazy_name_resolves_to_the_object_its_module_defines(package):
    module = importlib.import_module(package)
    for name, target in _lazy_modules(package).items():
        defined = importlib.import_module(target)
        expected = defined if target == f"{package}.{name}" else getattr(defined, name)
        assert getattr(module, name) is expected, name


@pytest.mark.parametrize("package", PACKAGES)
def test_all_names_only_what_the_package_gives(package):
    module = importlib.import_module(package)
    given = set(vars(module)) | set(module._LAZY)
    assert set(module.__all__) <= given, sorted(set(module.__all__) - given)
