"""energylab.explore.curation: CurationExplorer on the experiment's fault grid: updates, markers, caption."""
import math

import numpy as np
import pytest

from energylab.experiments import curation
from energylab.explore import CurationExplorer



def test_curation_grid_at_the_experiment_levels_is_the_experiment():
    point = curation.fault_grid(0)[(1.0, 1.0, 1.0)]
    run = curation.run(0)
    for arm in ("everything", "curated"):
        np.testing.assert_array_equal(point.flops[arm], run.arms[arm].flops)
        np.testing.assert_array_equal(point.accuracy[arm], run.arms[arm].accuracy)
        assert point.n_train[arm] == run.arms[arm].n_train
    assert point.curation_flops == pytest.approx(run.curation.total_flops)
    r = CurationExplorer(target=0.8).result
    for arm in ("everything", "curated"):
        assert r["to_target"][arm] == run.arms[arm].flops_to(0.8)
        assert r["final"][arm] == run.arms[arm].final_val_accuracy   # the explorer's curves are validation curves
    assert r["bayes"] == pytest.approx(run.bayes_accuracy)
    assert r["saving"] == pytest.approx(run.arms["everything"].flops_to(0.8) / run.arms["curated"].flops_to(0.8))


def test_curation_updates_do_not_train(monkeypatch):
    e = CurationExplorer()             # the grid exists now
    from energylab import nn

    def no_training(*args, **kwargs):
        raise AssertionError("an explorer update must not train")
    monkeypatch.setattr(nn, "train", no_training)
    e.set(duplicates=0.0, label_noise=0.5, off_task=0.0, target=0.6)
    assert e.values["off_task"] == 0.0


def test_curation_target_moves_markers_and_text():
    e = CurationExplorer()
    x0 = e.marks["curated"].get_xdata()[0]
    note0, text0 = e.note.get_text(), e.text
    e.set(target=0.88)
    assert e.marks["curated"].get_xdata()[0] > x0
    assert list(e.marks["everything"].get_xdata()) == []          # never reaches 88 %
    assert e.target_line.get_ydata()[0] == pytest.approx(88)
    assert e.note.get_text() != note0 and e.text != text0
    assert "88%" in e.text and "never" in e.text and "only the curated arm gets there" in e.text


def test_curation_says_never_in_plain_english():
    e = CurationExplorer()
    e.set(target=0.92)                                              # neither arm gets there on seed 0
    r = e.result
    assert all(math.isinf(r["to_target"][arm]) for arm in ("everything", "curated"))
    assert "after never" not in e.text and " never," not in e.text
    run = {arm: f"{r['flops'][arm][-1] / 1e6:,.0f} MFLOP" for arm in ("everything", "curated")}
    assert f"Training on everything never reaches 92% within its {run['everything']}" in e.text
    assert f"samples) never reaches it within its {run['curated']}, its " in e.text
    note = e.note.get_text()
    assert f"everything not within {run['everything']}" in note and f"curated not within {run['curated']}" in note
    assert "never" not in note.replace("not within", "")
    e.set(target=0.88)                                              # only the curated arm gets there
    assert f"samples) reaches it after {e.result['to_target']['curated'] / 1e6:,.0f} MFLOP" in e.text
    assert "Training on everything never reaches 88% within its" in e.text


def test_curation_low_target_reverses_the_verdict():
    e = CurationExplorer(target=0.5)
    assert e.result["saving"] < 1
    assert "training on everything gets there first" in e.text


def test_curation_faults_change_the_curves():
    e = CurationExplorer()
    y0 = e.lines["everything"].get_ydata().copy()
    e.set(off_task=0.0)
    y1 = e.lines["everything"].get_ydata()
    assert y1.size != y0.size                                       # a smaller corpus: fewer steps
    assert e.result["counts"]["off_task"] == 0 and "0 off-task" in e.text
    assert e.result["final"]["everything"] > CurationExplorer().result["final"]["everything"]
    np.testing.assert_allclose(e.lines["curated"].get_xdata(), e.result["flops"]["curated"] / 1e6)


def test_curation_widget_updates_the_figure():
    e = CurationExplorer()
    children = e.widget.children
    names = list(e.controls)
    image, caption = children[len(names)], children[len(names) + 1]
    png0, caption0 = image.value, caption.value
    children[names.index("label_noise")].value = 0.5
    assert e.last_error is None and e.values["label_noise"] == 0.5
    assert image.value != png0 and caption.value != caption0
    children[names.index("label_noise")].value = 0.3            # not a grid level: shown, not raised
    assert isinstance(e.last_error, ValueError) and e.values["label_noise"] == 0.5
    assert "precomputed levels" in caption.value


def test_level_slider_rejects_off_grid_values():
    slider = CurationExplorer.controls["label_noise"]
    assert slider.validate("label_noise", 0.5) == 0.5
    with pytest.raises(ValueError, match="precomputed levels"):
        slider.validate("label_noise", 0.25)


def test_curation_target_default_is_one_of_the_experiments_fixed_targets():
    from energylab.explore.curation import DEFAULT_TARGET
    assert DEFAULT_TARGET in curation.TARGET_GRID
    assert CurationExplorer.controls["target"].default == DEFAULT_TARGET
    assert CurationExplorer().values["target"] == DEFAULT_TARGET


def test_curation_caption_reports_a_passing_peak():
    e = CurationExplorer()
    r = e.result
    everything = curation.run(0).arms["everything"]
    assert r["peak"]["everything"] == pytest.approx(everything.accuracy.max())
    # seed 0: training on everything touches the target only at a peak, and ends below it
    assert r["peak"]["everything"] >= 0.8 > r["final"]["everything"]
    assert f"peaks at {r['peak']['everything']:.1%}" in e.text
    assert f"Peak: {r['peak']['everything']:.1%}" in e.note.get_text()
    clean = CurationExplorer(label_noise=0.0, off_task=0.0)  # no drop at the end: no peak to report
    assert clean.result["peak"]["everything"] - clean.result["final"]["everything"] < 0.01
    assert "peaks at" not in clean.text
