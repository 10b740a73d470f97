"""Assembling the demo study: every generator in turn, then the files on disk.

:func:`build_demo` draws the world and runs the generators in a fixed order
from one random generator (the benefit estimates from a generator of their
own, so that adding them left every other file unchanged); :func:`write_demo`
writes the exports, the codebook and ``truth.json``.

Examples
--------
>>> files, truth = build_demo()
>>> files[0].name, files[-1].name, truth["seed"] == constants.SEED
('daftar_angkatan.xlsx', 'evaluasi_widyaiswara_2025.xlsx', True)
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from evalkit import constants
from evalkit.data.demo.benefits import benefits
from evalkit.data.demo.costs import costs
from evalkit.data.demo.facilitators import FACILITATOR_STREAM, facilitators
from evalkit.data.demo.files import RawFile, file_bytes
from evalkit.data.demo.followup import followup
from evalkit.data.demo.ikm import ikm
from evalkit.data.demo.mess import Mess
from evalkit.data.demo.reaction import reaction
from evalkit.data.demo.retrospective import retrospective
from evalkit.data.demo.rosters import cohort_list, rosters
from evalkit.data.demo.scores import scores
from evalkit.data.demo.truth import truth
from evalkit.data.demo.world import build_world


def build_demo(seed: int = constants.SEED) -> tuple[list[RawFile], dict[str, Any]]:
    """Build the demo exports in memory: the raw files and the truth dictionary.

    Parameters
    ----------
    seed : int
        Seed of the numpy random generator.

    Returns
    -------
    tuple of (list, dict)
        The raw files (name, sheets of header + rows) and the content of ``truth.json``.

    Examples
    --------
    >>> files, truth = build_demo()
    >>> len(truth["design"]["cohorts"])
    15
    """
    rng = np.random.default_rng(seed)
    mess = Mess()
    world = build_world(rng)
    files: list[RawFile] = [cohort_list(rng, mess)]
    files += rosters(rng, world, mess)
    score_file, item_files = scores(rng, world, mess)
    reaction_files, reaction_info = reaction(rng, world, mess)
    files += reaction_files + [score_file] + item_files
    files += followup(rng, world, mess)
    skm, kpi, ikm_info = ikm(rng, world, mess)
    cost_file, cost_totals = costs(rng, world, mess)
    files += [skm, kpi, cost_file]
    # a generator of its own, so that adding the benefit file left the others unchanged
    benefit_file, benefit_info = benefits(
        np.random.default_rng([seed, 5]), world, mess, cost_totals
    )
    # the retrospective (PTIA) exports and the 12-month wave: a generator of their own too
    retro_files, retro_info = retrospective(np.random.default_rng([seed, 13]), world, mess)
    files += retro_files
    files.append(benefit_file)
    # the facilitator ratings likewise, from a stream of their own
    facilitator_files, facilitator_info = facilitators(
        np.random.default_rng([seed, FACILITATOR_STREAM]), world, mess
    )
    files += facilitator_files
    data = truth(seed, world, mess, files, reaction_info, ikm_info, cost_totals,
                 benefit_info, facilitator_info)  # fmt: skip
    data["effects"].update(retro_info)
    return files, data


def write_demo(out_dir: Path, *, seed: int = constants.SEED, progress: bool = True) -> Path:
    """Write the synthetic Kota Kupang demo study (raw exports, codebook, truth).

    Parameters
    ----------
    out_dir : Path
        Folder to write (created if missing); existing files of the same name are
        replaced, other files are left alone.
    seed : int, default ``constants.SEED``
        Seed of the random generator; the same seed gives byte-identical files.
    progress : bool, default True
        Show a progress bar over the files written.

    Returns
    -------
    Path
        ``out_dir``.

    Notes
    -----
    The files, their quirks, and the planted effects are described in the
    docstring of :mod:`evalkit.data.demo` and in ``truth.json``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_demo(Path(tmp) / "demo", progress=False)
    ...     truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    ...     print((out / "codebook.yaml").is_file(), truth["effects"]["ikm_did"]["value"])
    True 6.0
    """
    from tqdm.auto import tqdm

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files, truth_data = build_demo(seed)
    codebook = resources.files("evalkit.data").joinpath("demo_codebook.yaml").read_bytes()
    jobs: list[tuple[str, Any]] = [(f.name, f) for f in files]
    jobs += [("codebook.yaml", codebook), ("truth.json", truth_data)]
    for name, payload in tqdm(jobs, desc="demo data", unit="file", disable=not progress):
        if isinstance(payload, RawFile):
            data = file_bytes(payload)
        elif isinstance(payload, dict):
            data = (json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n").encode()
        else:
            data = payload
        (out_dir / name).write_bytes(data)
    return out_dir
