"""The layers depend one way: core ← home ← digest ← search ← cms.

`core/` is infrastructure and imports no app of ours; `home/` (the home page and site-wide
texts) builds on core only; `digest/` (the publication) never imports search; `cms/` is the
composition root (settings, URLs, the API router, the OpenAPI document) that nothing imports.
Read from the source with `ast`, so an import inside a function counts as much as one at the top.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("core", "home", "digest", "search", "cms")
# What each layer may import of ours: only the layers below it.
ALLOWED = {layer: set(LAYERS[: index + 1]) for index, layer in enumerate(LAYERS)}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & set(LAYERS)


def sources(layer: str):
    return sorted(path for path in (ROOT / layer).rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_the_layers_below_it(layer):
    violations = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) - ALLOWED[layer])
        for path in sources(layer)
    }
    assert not {path: names for path, names in violations.items() if names}


def test_the_layer_check_sees_an_import_that_breaks_the_layering(tmp_path):
    offending = tmp_path / "offending.py"
    offending.write_text("def late():\n    from search.api import SearchView\n")
    assert imported_packages(offending) - ALLOWED["digest"] == {"search"}


def defined_classes(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}


def test_home_holds_the_home_page_and_site_wide_texts_only():
    modules = {path.name for path in (ROOT / "home").glob("*.py")}
    assert not modules & {"paths.py", "visibility.py", "revalidation.py", "webhooks.py"}
    assert not (ROOT / "home" / "webhooks").exists()
    assert not (ROOT / "home" / "management").exists()
    # The outbound webhooks (their models, delivery and admin) are infrastructure: core's.
    webhook_classes = {
        str(path.relative_to(ROOT)): sorted(
            name for name in defined_classes(path) if name.lower().startswith("webhook")
        )
        for path in sources("home")
    }
    assert not {path: names for path, names in webhook_classes.items() if names}
