"""energylab.experiments.distillation: the arms, the student's training, loss, gradients and FLOPs, and the task."""
import dataclasses

import numpy as np
import pytest

from energylab import nn, sources
from energylab.experiments import distillation, joules

from helpers.experiments import result


def test_a_failing_seed_is_reported_honestly(monkeypatch):
    failing = dataclasses.replace(result("distillation", 0))
    failing.arms = dict(failing.arms)
    failing.arms["distilled"] = dataclasses.replace(failing.arms["distilled"], accuracy=0.0)
    failing.gain = -failing.arms["hard_label"].accuracy
    monkeypatch.setattr(distillation, "run", lambda s: failing if s == 0 else result("distillation", s))
    summary = distillation.run_many([0, 1])
    assert summary.holds == [False, True]
    assert summary.conclusion.startswith("The stated conclusion failed on seed(s) [0]")


def test_distillation_arms_saw_what_the_docstring_says():
    r = result("distillation", 0)
    a = r.arms
    assert set(a) == set(distillation.ARMS)
    assert a["teacher"].n_train == a["hard_label_full"].n_train == distillation.N_TEACHER_TRAIN
    for name in ("hard_label", "distilled", "small_data_teacher", "small_data_distilled"):
        assert a[name].n_train == distillation.N_TRANSFER < distillation.N_TEACHER_TRAIN
    # both students: the same network, the same steps; the soft head costs a little more per step
    assert a["hard_label"].sizes == a["distilled"].sizes == (distillation.N_FEATURES, distillation.STUDENT_HIDDEN,
                                                             distillation.N_CLASSES)
    assert a["teacher"].sizes == (distillation.N_FEATURES, distillation.TEACHER_HIDDEN, distillation.N_CLASSES)
    assert a["hard_label"].flops_per_query == a["distilled"].flops_per_query
    assert a["hard_label"].training_flops < a["distilled"].training_flops < 1.2 * a["hard_label"].training_flops
    # per-query costs follow from the FLOPs
    for arm in a.values():
        model = nn.MLP(list(arm.sizes))
        assert arm.flops_per_query == nn.forward_flops(model, 1)
        assert arm.joules_per_query == pytest.approx(joules(arm.flops_per_query))
        assert arm.mac_energy_per_query == pytest.approx(model.n_weights * 4.6e-12)
    assert r.flops_share == a["distilled"].flops_per_query / a["teacher"].flops_per_query < 0.1
    assert r.gain == a["distilled"].accuracy - a["hard_label"].accuracy
    saving = a["teacher"].flops_per_query - a["distilled"].flops_per_query
    assert r.break_even_queries == pytest.approx((r.labelling_flops + a["distilled"].training_flops) / saving)
    assert max(arm.accuracy for arm in a.values()) <= r.bayes_accuracy + 0.02


def test_temperature_is_in_the_cited_range():
    low, high = sources.get("distillation_temperature_range").value
    assert low <= distillation.TEMPERATURE <= high
    assert 0 < distillation.SOFT_WEIGHT <= 1


def test_train_student_on_hard_labels_is_nn_train():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(70, 5))
    y = rng.integers(0, 3, 70)
    a, b = nn.MLP([5, 6, 3], seed=1), nn.MLP([5, 6, 3], seed=1)
    history = nn.train(a, X, y, epochs=3, batch_size=16, lr=0.01, seed=2)
    trained = distillation.train_student(b, X, y, soft_weight=0.0, epochs=3, batch_size=16, lr=0.01, seed=2)
    for (Wa, ba), (Wb, bb) in zip(a.params, b.params):
        np.testing.assert_allclose(Wa, Wb, rtol=0, atol=1e-12)
        np.testing.assert_allclose(ba, bb, rtol=0, atol=1e-12)
    assert trained.flops == history.total_flops == nn.train_flops(a, 70, 3, 16)
    assert trained.steps == 3 * 5 and trained.loss.shape == (3,)


def test_train_student_gives_the_weights_it_always_gave():
    """Reference weights from the training loop distillation had before it used nn.train's (same seed)."""
    rng = np.random.default_rng(5)
    X, y, soft = rng.normal(size=(40, 4)), rng.integers(0, 3, 40), nn.softmax(rng.normal(size=(40, 3)))
    model = nn.MLP([4, 5, 3], seed=1)
    trained = distillation.train_student(model, X, y, soft, temperature=4.0, soft_weight=0.9, epochs=3, batch_size=16,
                                         lr=0.01, seed=2)
    assert trained.flops == 35604 and trained.steps == 9
    np.testing.assert_allclose(trained.loss, [16.078855940284118, 15.985454835408184, 15.910062285415997], rtol=1e-12)
    reference = [
        ([[0.211552229053, 0.540150585801, 0.221688847162, -0.848872187125, 0.668710114288],
          [0.355701861841, -0.33048630666, 0.434894114766, 0.281844184007, 0.171053706448],
          [0.010903073213, 0.32865986849, -0.585102495074, -0.087299812062, -0.285383612761],
          [0.436887656439, 0.032086396088, -0.275575088674, -0.481588437673, -0.237964429756]],
         [-0.020360793725, -0.073312389238, 0.067945525524, -0.086163690674, -0.004210059633]),
        ([[-0.048366870605, -0.109942330165, 0.698551972547], [0.44505224434, -1.289436747689, -0.980480081777],
          [-0.019668113372, -0.255732502114, 0.13634865732], [0.186524919072, 0.976013117692, -0.524407008727],
          [-0.20657597218, 1.011057810267, 0.327166582741]],
         [-0.036827055728, -0.070501965589, 0.079544748442]),
    ]
    for (W, b), (W_ref, b_ref) in zip(model.params, reference):
        np.testing.assert_allclose(W, W_ref, rtol=0, atol=1e-11)
        np.testing.assert_allclose(b, b_ref, rtol=0, atol=1e-11)


def test_student_step_flops_follow_the_stated_convention():
    model, n = nn.MLP([4, 5, 3]), 8
    k = model.n_classes
    hard = nn.train_step_flops(model, n)
    head = nn.loss_flops(model, n) + nn.LOSS_GRAD_FLOPS_PER_CLASS * n * k
    soft = n * k * (distillation.SOFT_LOSS_FLOPS_PER_CLASS + distillation.SOFT_GRAD_FLOPS_PER_CLASS)
    assert distillation.student_step_flops(model, n, 0.0) == hard
    assert distillation.student_step_flops(model, n, 1.0) == hard - head + soft
    assert distillation.student_step_flops(model, n, 0.5) == hard + soft + n * (distillation.MIX_FLOPS_PER_SAMPLE + k)


@pytest.mark.parametrize("weight, temperature", [(0.0, 1.0), (1.0, 4.0), (0.9, 4.0), (0.5, 2.0)])
def test_distillation_gradients_match_finite_differences(weight, temperature):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(6, 4))
    y = rng.integers(0, 3, 6)
    soft = nn.softmax(rng.normal(size=(6, 3)))
    model = nn.MLP([4, 5, 3], activation="tanh", seed=0)  # smooth, so central differences are exact enough
    _, grads = distillation.distillation_loss_and_gradients(model, X, y, soft, temperature, weight)
    eps = 1e-6
    for (W, b), (gW, gb) in zip(model.params, grads):
        for p, g in ((W, gW), (b, gb)):
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for j in range(flat.size):
                old = flat[j]
                flat[j] = old + eps
                up = distillation.distillation_loss_and_gradients(model, X, y, soft, temperature, weight)[0]
                flat[j] = old - eps
                down = distillation.distillation_loss_and_gradients(model, X, y, soft, temperature, weight)[0]
                flat[j] = old
                assert gflat[j] == pytest.approx((up - down) / (2 * eps), abs=1e-6)


def test_distillation_rejects_bad_soft_targets():
    X, y = np.zeros((4, 3)), np.zeros(4, dtype=int)
    model = nn.MLP([3, 4, 2])
    with pytest.raises(ValueError, match="soft_targets are needed"):
        distillation.train_student(model, X, y, None, soft_weight=0.5, epochs=1, batch_size=2, lr=0.1)
    with pytest.raises(ValueError, match="shape"):
        distillation.train_student(model, X, y, np.full((3, 2), 0.5), soft_weight=0.5, epochs=1, batch_size=2, lr=0.1)
    with pytest.raises(ValueError, match="probabilities"):
        distillation.train_student(model, X, y, np.full((4, 2), 0.7), soft_weight=0.5, epochs=1, batch_size=2, lr=0.1)
    with pytest.raises(ValueError, match="soft_weight"):
        distillation.train_student(model, X, y, None, soft_weight=1.5, epochs=1, batch_size=2, lr=0.1)
    with pytest.raises(ValueError, match="temperature"):
        distillation.train_student(model, X, y, None, temperature=0.0, soft_weight=0.0, epochs=1, batch_size=2, lr=0.1)


def test_task_has_look_alike_families_and_noisy_training_labels():
    task = distillation.make_task(np.random.default_rng(0))
    assert task.centres.shape == (distillation.N_CLASSES, distillation.CLUSTERS_PER_CLASS, distillation.N_FEATURES)
    means = task.centres.mean(axis=1)
    d = np.linalg.norm(means[:, None] - means[None], axis=2)
    sibling = np.mean([d[2 * f, 2 * f + 1] for f in range(distillation.N_FAMILIES)])
    others = d[np.triu_indices(distillation.N_CLASSES, 1)].mean()
    assert sibling < 0.6 * others
    X, y, y_true = task.sample(5000, np.random.default_rng(1), 0.2)
    assert 0.15 < np.mean(y != y_true) < 0.2  # 20 % relabelled at random, 1 in 10 of them by chance correctly
    assert np.mean(task.bayes_predict(X) == y_true) > 0.9
