"""The report notebooks work wherever they are opened.

JupyterLab starts a notebook's kernel in the notebook's folder (``notebooks/``), plain
papermill and ``evalkit report`` in the project root. The notebooks find the project
from there (never from paths relative to the working directory), and ``study`` alone
selects the processed tables. Each notebook is executed here with nbclient, its
working directory set to ``notebooks/`` of a scratch project holding the small
synthetic study of :mod:`processed_fixture`, with its default parameters.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from processed_fixture import write_processed_study

from evalkit.reporting.headlines import HEADLINES
from evalkit.reporting.record import recorded

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
#: notebook -> report kind
KIND = {"cohort_report": "cohort", "program_overview": "overview", "impact_study": "impact"}


def _scratch_project(root: Path) -> Path:
    """A project root as ``git clone`` gives it: markers, the notebooks copied (not linked)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n")
    (root / "evalkit").mkdir()  # project_root() looks for pyproject.toml beside evalkit/
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A scratch project whose study ``demo`` is the synthetic one (3 cohorts)."""
    root = _scratch_project(tmp_path_factory.mktemp("lab"))
    write_processed_study(root, "demo")
    return root


@pytest.fixture
def no_root_variable(monkeypatch):
    """The kernel must find the project itself: EVALKIT_ROOT is not set."""
    monkeypatch.delenv("EVALKIT_ROOT", raising=False)


def _execute(notebook: Path, cwd: Path, parameters: dict[str, str] | None = None):
    """Run ``notebook`` like JupyterLab: kernel in ``cwd``, the parameter cell as edited.

    Raises nbclient's CellExecutionError if any cell fails.
    """
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    cell = nb.cells[0]
    for name, value in (parameters or {}).items():
        cell.source, n = re.subn(
            rf"^{name}: str = .*?(  #)", f"{name}: str = {value!r}\\1", cell.source, flags=re.M
        )
        assert n == 1, name
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_from_the_notebooks_folder(notebook, project, no_root_variable):
    nb = _execute(project / "notebooks" / notebook.name, cwd=project / "notebooks")
    values = recorded(nb)
    assert values["study"] == "demo"
    kind = KIND[notebook.stem]
    assert set(values) <= {f for f in HEADLINES[kind].__dataclass_fields__}
    if kind == "cohort":  # the first cohort of the synthetic study: 24 people
        assert values["cohort_id"] == "C01" and values["n"] == 24
    if kind == "overview":
        assert values["n_cohorts"] == 3 and values["n"] == 54


@pytest.mark.slow
def test_study_alone_selects_the_processed_folder(tmp_path, no_root_variable):
    """Setting ``study`` and nothing else reads that study, not the demo."""
    root = _scratch_project(tmp_path / "project")
    write_processed_study(root, "kupang", cohorts=("C02", "C03"), impact=False)
    nb = _execute(
        root / "notebooks" / "cohort_report.ipynb",
        cwd=root / "notebooks",
        parameters={"study": "kupang"},
    )
    values = recorded(nb)
    assert values["study"] == "kupang" and values["cohort_id"] == "C02" and values["n"] == 18


@pytest.mark.slow
def test_processed_dir_overrides_relative_to_the_project_root(tmp_path, no_root_variable):
    """An explicit ``processed_dir`` is relative to the project root, wherever the kernel is."""
    root = _scratch_project(tmp_path / "project")
    folder = write_processed_study(root, "copy", cohorts=("C03",), impact=False)
    target = root / "elsewhere" / "tables"
    target.parent.mkdir()
    folder.rename(target)
    nb = _execute(
        root / "notebooks" / "cohort_report.ipynb",
        cwd=root / "notebooks",
        parameters={"study": "copy", "processed_dir": "elsewhere/tables"},
    )
    assert recorded(nb)["cohort_id"] == "C03"


@pytest.mark.slow
def test_a_missing_study_names_the_folder_it_looked_in(tmp_path, no_root_variable):
    """The first cell's error names the study's folder under the project root."""
    from nbclient.exceptions import CellExecutionError

    root = _scratch_project(tmp_path / "project")
    with pytest.raises(CellExecutionError) as err:
        _execute(root / "notebooks" / "impact_study.ipynb", cwd=root / "notebooks")
    assert str(root / "data" / "processed" / "demo") in str(err.value)
    assert "processed folder does not exist" in str(err.value)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_help_explains_every_parameter(notebook):
    import papermill as pm

    parameters = pm.inspect_notebook(str(notebook))
    assert {"study", "lang", "processed_dir"} <= set(parameters)
    for name, info in parameters.items():
        assert info["help"].strip(), f"{notebook.name}: parameter {name!r} has no help"
        assert info["inferred_type_name"] == "str", name
    assert parameters["processed_dir"]["default"] == '""'
    assert "project root" in parameters["processed_dir"]["help"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_keep_their_json_layout_and_language_tags(notebook):
    text = notebook.read_text(encoding="utf-8")
    nb = json.loads(text)
    assert json.dumps(nb, indent=1, ensure_ascii=False) + "\n" == text
    tags = [set(c.get("metadata", {}).get("tags", [])) for c in nb["cells"]]
    markdown = [t for c, t in zip(nb["cells"], tags, strict=True) if c["cell_type"] == "markdown"]
    assert markdown and all(t & {"lang-id", "lang-en"} for t in markdown)
    source = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert '"data/processed/' not in source  # no folder relative to the working directory


def shown_but_dropped(source: str) -> list[str]:
    """Calls of the report modules whose result a cell computes but never shows.

    Jupyter displays only a cell's last top-level expression: a table or figure built
    anywhere else (inside an ``if``, or before another statement) needs ``display(...)``.
    """
    import ast

    tree = ast.parse(source)
    last = tree.body[-1] if tree.body else None
    return [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and node is not last
        and ast.unparse(node.value.func).startswith(("ekr.", "ekf.", "ekc."))
    ]


def test_shown_but_dropped_finds_a_table_inside_an_if():
    cell = "if ok:\n    ekr.compliance_table(safe, lang)\nelse:\n    display(ekr.section_note('x', lang))"
    assert shown_but_dropped(cell) == ["ekr.compliance_table(safe, lang)"]
    assert shown_but_dropped("x = 1\nekr.cost_table(costs, lang)") == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_table_and_figure_a_cell_builds_is_shown(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    dropped = {
        i: found
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and (found := shown_but_dropped("".join(cell["source"])))
    }
    assert not dropped, f"{notebook.name}: cells build output they never display: {dropped}"
