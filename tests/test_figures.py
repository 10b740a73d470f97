"""Report figures: they draw, are deterministic, colour-blind safe and check their input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from evalkit.errors import ParameterError
from evalkit.reporting import figures as ekf


@pytest.fixture
def answers() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "participant_id": np.repeat([f"p{i}" for i in range(12)], 4),
            "item": np.tile(["a", "b", "c", "d"], 12),
            "dimension": np.tile(["content", "content", "facilities", "facilities"], 12),
            "score": rng.integers(1, 6, 48).astype(float),
            "scale_max": 5,
        }
    )


@pytest.fixture
def learning() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    pre = rng.normal(55, 10, 15).round(1)
    return pd.DataFrame({"pre": pre, "post": (pre + rng.normal(10, 6, 15)).clip(0, 100).round(1)})


def _all_figures(answers, learning):
    scores = pd.DataFrame(
        {"mean": [4.1, 3.5], "ci_low": [3.8, 3.2], "ci_high": [4.4, 3.8]},
        index=["content", "facilities"],
    )
    gains = (learning["post"] - learning["pre"]) / (100 - learning["pre"])
    return [
        ekf.likert_bars(answers, lang="en"),
        ekf.likert_bars(answers, by="dimension", lang="id", title="Likert"),
        ekf.scale_scores_plot(scores, scale_max=5, lang="id"),
        ekf.prepost_plot(learning, max_score=100, lang="en"),
        ekf.gain_band_bars(gains, lang="id"),
        ekf.forest_plot(scores.rename(columns={"mean": "mean_diff"}), lang="en"),
        ekf.category_bars(pd.Series({"implemented": 5, "sustained": 3}), lang="en"),
        ekf.period_lines(
            pd.DataFrame({"p": [0, 1, 0, 1], "y": [70.0, 72, 71, 78], "g": [0, 0, 1, 1]}),
            x="p",
            y="y",
            group="g",
            lang="id",
            xticklabels={0: "2024-S1", 1: "2024-S2"},
        ),
        ekf.trend_plot(
            pd.DataFrame(
                {
                    "start": pd.to_datetime(["2023-03-01", "2023-09-01", "2024-05-01"]),
                    "mean_diff": [8.0, 9.5, 11.0],
                    "ci_low": [6.0, 7.0, 9.0],
                    "ci_high": [10.0, 12.0, 13.0],
                    "program": ["A", "B", "A"],
                }
            ),
            x="start",
            estimate="mean_diff",
            group="program",
            reference=0,
            lang="en",
            summary=pd.DataFrame(
                {
                    "n": [40, 25],
                    "mean_diff": [8.7, 11.0],
                    "ci_low": [7.0, 9.0],
                    "ci_high": [10.4, 13.0],
                },
                index=[2023, 2024],
            ),
        ),
    ]


def test_every_figure_draws_to_png(answers, learning):
    for fig in _all_figures(answers, learning):
        assert isinstance(fig, Figure)
        png = ekf.to_png(fig)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


def test_figures_are_deterministic(answers, learning):
    first = [ekf.to_png(f) for f in _all_figures(answers, learning)]
    second = [ekf.to_png(f) for f in _all_figures(answers, learning)]
    assert first == second


def test_saved_svg_has_no_date_and_is_reproducible(tmp_path, answers):
    a = ekf.save(ekf.likert_bars(answers), tmp_path / "a.svg").read_bytes()
    b = ekf.save(ekf.likert_bars(answers), tmp_path / "b.svg").read_bytes()
    assert a == b and b"<dc:date>" not in a


def test_saved_pdf_has_no_creation_date_and_is_reproducible(tmp_path, answers):
    a = ekf.save(ekf.likert_bars(answers), tmp_path / "a.pdf").read_bytes()
    b = ekf.save(ekf.likert_bars(answers), tmp_path / "b.pdf").read_bytes()
    assert a == b and b"CreationDate" not in a


def test_notebooks_display_figures_as_one_png(answers):
    bundle, metadata = ekf.likert_bars(answers, title="Jawaban per butir")._repr_mimebundle_()
    assert set(bundle) == {"image/png", "text/plain"}
    assert bundle["image/png"][:4] == b"\x89PNG"
    # the HTML report's <img alt> and caption: the figure's title and axis labels
    assert metadata["image/png"]["alt"].startswith("Jawaban per butir")


def test_likert_bars_diverge_around_zero(answers):
    fig = ekf.likert_bars(answers)
    ax = fig.axes[0]
    lefts = [p.get_x() for p in ax.patches]
    rights = [p.get_x() + p.get_width() for p in ax.patches]
    assert min(lefts) < 0 < max(rights)
    assert min(lefts) >= -100 - 1e-9 and max(rights) <= 100 + 1e-9


def _printed(ax) -> dict[str, list[str]]:
    """The percentages printed on each bar of a Likert chart, by the bar's label."""
    ticks = zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
    names = {round(y): t.get_text() for y, t in ticks}
    out: dict[str, list[str]] = {name: [] for name in names.values()}
    for text in ax.texts:
        out[names[round(text.get_position()[1])]].append(text.get_text())
    return out


def test_likert_segments_of_fewer_than_five_answers_carry_no_number():
    # 20 answers an item; counted by hand: a = 12 x 5, 4 x 4, 4 x 2 (60%, 20%, 20%);
    # b = 10 x 5, 10 x 4 (50%, 50%); c = 17 x 5, 3 x 1 (85%, 15%): the 85% is all but 3
    scores = {"a": [5] * 12 + [4] * 4 + [2] * 4, "b": [5] * 10 + [4] * 10,
              "c": [5] * 17 + [1] * 3}  # fmt: skip
    answers = pd.DataFrame(
        [{"item": item, "score": float(v)} for item, values in scores.items() for v in values]
    )
    fig = ekf.likert_bars(answers, scale_max=5, lang="en")
    ax = fig.axes[0]
    assert _printed(ax) == {"a": ["60"], "b": ["50", "50"], "c": []}
    # the bars are still drawn in full: only the numbers go
    assert sorted(round(p.get_width()) for p in ax.patches if p.get_width() > 0) == [
        15, 20, 20, 50, 50, 60, 85
    ]  # fmt: skip
    # the threshold is a parameter: at 3, every segment of 8% or more prints
    low = ekf.likert_bars(answers, scale_max=5, lang="en", min_cell=3).axes[0]
    assert _printed(low) == {"a": ["20", "20", "60"], "b": ["50", "50"], "c": ["15", "85"]}
    # the 8% floor stays: 1 answer of 20 is 5%, printed by no threshold
    one = pd.DataFrame({"item": ["d"] * 20, "score": [5.0] * 19 + [1.0]})
    assert _printed(ekf.likert_bars(one, scale_max=5, min_cell=1).axes[0]) == {"d": ["95"]}


def test_likert_colours_are_the_colour_blind_safe_palette(answers):
    ax = ekf.likert_bars(answers).axes[0]
    used = {tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in ax.patches}
    allowed = {tuple(round(c, 3) for c in to_rgb(h)) for h in ekf.LIKERT_COLORS[5]}
    assert used <= allowed


def test_gain_bands_count_each_person_once():
    fig = ekf.gain_band_bars([0.1, 0.29, 0.3, 0.5, 0.69, 0.7, 0.95, float("nan")], lang="en")
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [2, 3, 2]  # low < .3 <= medium < .7 <= high


def test_indonesian_axes_use_the_decimal_comma():
    scores = pd.DataFrame({"mean": [3.5], "ci_low": [3.2], "ci_high": [3.8]}, index=["content"])
    fig = ekf.scale_scores_plot(scores, scale_max=5, lang="id")
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "1,5" in labels and "1.5" not in labels


def test_missing_columns_and_bad_scale_are_parameter_errors(answers):
    with pytest.raises(ParameterError, match=r"likert_bars: column\(s\) \['score'\] not in data"):
        ekf.likert_bars(answers.drop(columns="score"))
    with pytest.raises(ParameterError, match="likert_bars: parameter 'scale_max' must be 2..7"):
        ekf.likert_bars(answers, scale_max=11)
    with pytest.raises(ParameterError, match=r"prepost_plot: column\(s\) \['post'\]"):
        ekf.prepost_plot(pd.DataFrame({"pre": [1.0]}))
    with pytest.raises(
        ParameterError, match=r"gain_band_bars: parameter 'lang' must be one of \('id', 'en'\)"
    ):
        ekf.gain_band_bars([0.5], lang="fr")


def test_figures_do_not_change_global_matplotlib_state(answers):
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    ekf.likert_bars(answers)
    assert dict(mpl.rcParams) == before


def test_period_axis_shows_period_names():
    data = pd.DataFrame({"p": [0, 1, 0, 1], "y": [70.0, 72, 71, 78], "g": [0, 0, 1, 1]})
    fig = ekf.period_lines(data, x="p", y="y", group="g", xticklabels={0: "2023-S1", 1: "2023-S2"})
    fig.canvas.draw()
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2023-S1", "2023-S2"]


def test_indonesian_ticks_keep_every_decimal_they_need():
    data = pd.DataFrame({"p": [0, 1, 0, 1], "y": [4.75, 4.5, 3.0, 2.9], "g": [0, 0, 1, 1]})
    fig = ekf.period_lines(data, x="p", y="y", group="g", lang="id")
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "4,75" in labels and "4,8" not in labels


def test_count_axes_have_whole_number_ticks():
    fig = ekf.gain_band_bars([0.1, 0.5, 0.8], lang="id")
    fig.canvas.draw()
    ticks = fig.axes[0].get_yticks()
    assert all(float(t).is_integer() for t in ticks)


def test_category_bars_suppress_small_cells():
    counts = pd.Series({"sustained": 15, "implemented": 10, "in_progress": 3, "not_started": 2})
    fig = ekf.category_bars(counts, min_cell=5, lang="en")
    ax = fig.axes[0]
    widths = {
        t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    assert widths["In progress"] == 0 and widths["Not started"] == 0
    texts = [t.get_text() for t in ax.texts]
    assert texts.count(" < 5") == 2 and not any(t.startswith(" 3 ") for t in texts)


def test_forest_plot_prints_n_beside_each_label():
    est = pd.DataFrame({"mean_diff": [5.0], "ci_low": [3.0], "ci_high": [7.0], "n": [24]},
                       index=["C01"])  # fmt: skip
    fig = ekf.forest_plot(est, n="n", lang="en")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["C01 (n = 24)"]


def test_long_titles_and_labels_wrap_instead_of_being_cut():
    long_label = "Materi pelatihan sesuai dengan kebutuhan tugas saya sehari-hari di kantor"
    answers = pd.DataFrame({"item": ["a"] * 4 + ["b"] * 4, "score": [4, 5, 3, 4, 2, 4, 5, 5]})
    fig = ekf.likert_bars(answers, scale_max=5, labels={"a": long_label, "b": "Pendek"})
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert long_label in [label.replace("\n", " ") for label in labels]
    assert "…" not in "".join(labels) and any("\n" in label for label in labels)
    title = "Status aksi perubahan, 6 bulan setelah pelatihan (n = 31), menurut status terakhir"
    bars = ekf.category_bars(pd.Series({"implemented": 20, "in_progress": 11}), title=title)
    shown = bars.axes[0].get_title(loc="left")
    assert "\n" in shown and shown.replace("\n", " ") == title
