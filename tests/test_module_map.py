"""The README's module map ("How it is built") names every folder of the package and every module
at its root, so a newcomer finds where a change goes (docs/contributing.md, "Which folder")."""

from __future__ import annotations

from pathlib import Path

import cstocrawl

PACKAGE = Path(cstocrawl.__file__).resolve().parent
README = PACKAGE.parent / "README.md"


def test_the_readme_module_map_names_every_folder_and_root_module() -> None:
    text = README.read_text("utf-8")
    section = text[text.index("## How it is built") :]
    section = section[: section.index("```", section.index("```") + 3)]
    folders = [
        f"cstocrawl/{path.name}/"
        for path in PACKAGE.iterdir()
        if path.is_dir() and not path.name.startswith(("_", "."))
    ]
    modules = [path.name for path in PACKAGE.glob("*.py") if path.name != "__init__.py"]
    assert [name for name in folders + modules if name not in section] == []
