"""Unit tests for energylab.nn: FLOP counts by hand, gradients by finite differences, training, bad input."""
import math

import numpy as np
import pytest

from energylab import nn


def blobs(n=300, seed=0, k=3, d=2, distance=6.0):
    """A linearly separable problem: k well-separated Gaussian blobs."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, d))
    centres *= distance / np.linalg.norm(centres[0] - centres[1])
    y = rng.integers(0, k, n)
    return centres[y] + 0.3 * rng.normal(size=(n, d)), y


# ------------------------------------------------------------------------------------------------
# FLOP counting, written out by hand
# ------------------------------------------------------------------------------------------------

def test_flops_by_hand_mlp_3_4_2_batch_5():
    model = nn.MLP([3, 4, 2])
    n = 5
    # forward: layer 1 matmul 2·5·3·4 = 120, bias 5·4 = 20; ReLU 5·4 = 20; layer 2 matmul 2·5·4·2 = 80, bias 5·2 = 10
    forward = 120 + 20 + 20 + 80 + 10
    assert forward == 250
    assert nn.forward_flops(model, n) == forward
    # loss head: softmax 5 per class (max, subtract, exp, sum, divide) = 5·2 = 10, cross-entropy 2 → 12 per sample
    loss = 5 * (5 * 2 + 2)
    assert loss == 60
    assert nn.loss_flops(model, n) == loss
    # backward: dlogits 2·5·2 = 20; layer 2: dW 2·5·4·2 = 80, db 5·2 = 10, dX 2·5·4·2 = 80;
    # ReLU backward 5·4 = 20; layer 1: dW 2·5·3·4 = 120, db 5·4 = 20, and no dX (first layer)
    backward = 20 + 80 + 10 + 80 + 20 + 120 + 20
    assert backward == 350
    assert nn.backward_flops(model, n) == backward
    # parameters: 3·4 + 4 + 4·2 + 2 = 26; Adam 12 per parameter, SGD 2
    assert model.n_params == 26
    assert nn.update_flops(model, "adam") == 12 * 26 == 312
    assert nn.update_flops(model, "sgd") == 2 * 26 == 52
    assert nn.train_step_flops(model, n) == 250 + 60 + 350 + 312 == 972
    assert nn.train_step_flops(model, n, optimizer="sgd") == 250 + 60 + 350 + 52 == 712
    # weight decay: 2 per weight (12 + 8 = 20 weights, biases not decayed)
    assert nn.train_step_flops(model, n, optimizer="sgd", weight_decay=0.1) == 712 + 2 * 20
    # sample weights: one more FLOP per sample in the loss and one in its gradient
    assert nn.train_step_flops(model, n, weighted=True) == 972 + 5 + 5


def test_flops_tanh_and_softmax_regression():
    tanh = nn.MLP([3, 4, 2], activation="tanh")
    # tanh: 1 FLOP forward, 3 backward per value: the ReLU counts above + 0 forward, + 2·20 backward
    assert nn.forward_flops(tanh, 5) == 250
    assert nn.backward_flops(tanh, 5) == 350 + 2 * 20
    reg = nn.SoftmaxRegression(3, 2)
    # one layer: forward 2·5·3·2 + 5·2 = 70; backward dlogits 20 + dW 60 + db 10, no dX
    assert nn.forward_flops(reg, 5) == 70
    assert nn.backward_flops(reg, 5) == 90
    assert nn.forward_flops(reg, 0) == 0


def test_six_nd_rule_is_close_for_a_wide_network_and_a_big_batch():
    model = nn.MLP([10, 1000, 1000, 10])
    batch = 1000
    exact = nn.train_step_flops(model, batch)
    rule = nn.six_nd_flops(model, batch)
    assert rule == 6 * model.n_weights * batch
    # exact = 6·N·n − 2·n·(10·1000) (no first-layer input gradient) + biases, activations, loss, Adam
    assert 0.97 < exact / rule < 1.03


# ------------------------------------------------------------------------------------------------
# gradients
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", [nn.MLP([3, 4, 2]), nn.MLP([4, 5, 3, 3], activation="tanh", seed=2),
                                   nn.SoftmaxRegression(3, 4, seed=1)], ids=["relu", "tanh-deep", "softmax-reg"])
def test_gradients_match_finite_differences(model):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, model.n_features))
    y = rng.integers(0, model.n_classes, 7)
    assert nn.gradient_check(model, X, y) < 1e-6
    assert nn.gradient_check(model, X, y, sample_weight=rng.random(7)) < 1e-6


def test_gradient_shapes_and_loss_value():
    model = nn.MLP([3, 4, 2])
    X, y = np.ones((5, 3)), np.array([0, 1, 0, 1, 1])
    loss, grads = nn.loss_and_gradients(model, X, y)
    assert loss == pytest.approx(model.loss(X, y))
    assert [(g[0].shape, g[1].shape) for g in grads] == [(W.shape, b.shape) for W, b in model.params]


def test_softmax_is_stable_and_normalised():
    logits = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    p = nn.softmax(logits)
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=1), 1)
    assert np.all(np.isfinite(nn.log_softmax(logits)))
    model = nn.MLP([2, 3, 2])
    X, y = blobs(20, k=2)
    assert np.allclose(model.predict_proba(X).sum(axis=1), 1)
    assert np.array_equal(model.predict(X), model.predict_proba(X).argmax(axis=1))


# ------------------------------------------------------------------------------------------------
# training
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer,lr", [("adam", 0.01), ("sgd", 0.1)])
def test_training_reduces_the_loss_on_a_separable_problem(optimizer, lr):
    X, y = blobs()
    model = nn.MLP([2, 16, 3], seed=0)
    before = model.loss(X, y)
    history = nn.train(model, X, y, epochs=20, batch_size=32, lr=lr, optimizer=optimizer, seed=0, X_val=X, y_val=y)
    assert model.loss(X, y) < 0.3 * before
    assert model.accuracy(X, y) > 0.98
    assert history.val_loss[-1] < history.val_loss[0]
    assert np.isnan(history.train_loss[0]) and history.train_loss[-1] < history.train_loss[1]


def test_seeded_runs_are_identical_and_seeds_matter():
    X, y = blobs()

    def fit(init, shuffle):
        model = nn.MLP([2, 8, 3], seed=init)
        return model, nn.train(model, X, y, epochs=3, batch_size=16, lr=0.01, seed=shuffle, X_val=X, y_val=y)

    (m1, h1), (m2, h2) = fit(1, 2), fit(1, 2)
    for (W1, b1), (W2, b2) in zip(m1.params, m2.params):
        assert np.array_equal(W1, W2) and np.array_equal(b1, b2)
    assert np.array_equal(h1.val_accuracy, h2.val_accuracy) and np.array_equal(h1.flops, h2.flops)
    m3, _ = fit(1, 3)
    assert not np.array_equal(m1.params[0][0], m3.params[0][0])
    assert not np.array_equal(nn.MLP([2, 8, 3], seed=1).params[0][0], nn.MLP([2, 8, 3], seed=4).params[0][0])


def test_history_flops_are_steps_times_step_flops_and_exclude_evaluation():
    X, y = blobs(320)
    model = nn.MLP([2, 8, 3])
    h = nn.train(model.copy(), X, y, epochs=3, batch_size=32, lr=0.01, seed=0, X_val=X[:50], y_val=y[:50],
                 eval_every=7)
    step_cost = nn.train_step_flops(model, 32)
    assert h.step[-1] == 3 * 10
    assert np.array_equal(h.flops, h.step * step_cost)  # every evaluation: steps so far × cost of a step
    assert h.total_flops == nn.train_flops(model, 320, 3, 32)
    # evaluations: step 0, every 7 steps (7, 14, 21, 28) and the end (30); each costs forward + loss on 50 samples
    assert list(h.step) == [0, 7, 14, 21, 28, 30]
    assert h.eval_flops == 6 * (nn.forward_flops(model, 50) + nn.loss_flops(model, 50))
    # the same run without a validation set spends the same training FLOPs
    h2 = nn.train(model.copy(), X, y, epochs=3, batch_size=32, lr=0.01, seed=0)
    assert h2.total_flops == h.total_flops and h2.eval_flops == 0 and np.all(np.isnan(h2.val_accuracy))
    assert list(h2.step) == [0, 10, 20, 30] and list(h2.epoch) == [0, 1, 2, 3]


def test_history_flops_with_a_short_last_batch_weights_and_sgd():
    X, y = blobs(100)
    model = nn.MLP([2, 8, 3])
    h = nn.train(model.copy(), X, y, epochs=2, batch_size=32, lr=0.1, optimizer="sgd", weight_decay=1e-3,
                 seed=0, sample_weight=np.linspace(0.5, 2, 100))
    # batches of 32, 32, 32, 4 per epoch
    per_epoch = 3 * nn.train_step_flops(model, 32, "sgd", 1e-3, True) + nn.train_step_flops(model, 4, "sgd", 1e-3, True)
    assert h.total_flops == 2 * per_epoch
    assert h.total_flops == nn.train_flops(model, 100, 2, 32, "sgd", 1e-3, weighted=True)


def test_backprop_from_the_cross_entropy_gradient_is_loss_and_gradients():
    X, y = blobs(30)
    model = nn.MLP([2, 6, 3], seed=1)
    outs = model.layer_outputs(X)
    assert len(outs) == 3 and np.array_equal(outs[-1], model.forward(X))
    grad_logits = (nn.softmax(outs[-1]) - np.eye(3)[y]) / len(y)
    loss, expected = nn.loss_and_gradients(model, X, y)
    for (gW, gb), (eW, eb) in zip(nn.backprop(model, outs, grad_logits), expected):
        np.testing.assert_allclose(gW, eW, rtol=0, atol=1e-15)
        np.testing.assert_allclose(gb, eb, rtol=0, atol=1e-15)
    assert nn.loss_head_flops(model, 5) == nn.loss_flops(model, 5) + nn.LOSS_GRAD_FLOPS_PER_CLASS * 5 * 3
    assert nn.loss_head_flops(model, 5, weighted=True) == nn.loss_head_flops(model, 5) + 2 * 5


def test_an_objective_replaces_the_cross_entropy_and_its_flops():
    X, y = blobs(100)
    model = nn.MLP([2, 8, 3])
    calls = []

    def cross_entropy(logits, labels, batch):          # the default objective, written as a hook
        calls.append(batch.size)
        np.testing.assert_array_equal(labels, y[batch])
        loss = -nn.log_softmax(logits)[np.arange(labels.size), labels].mean()
        return loss, (nn.softmax(logits) - np.eye(3)[labels]) / labels.size
    head = nn.Objective(cross_entropy, lambda n: nn.loss_head_flops(model, n))
    a, b = model.copy(), model.copy()
    plain = nn.train(a, X, y, epochs=2, batch_size=32, lr=0.01, seed=0)
    hooked = nn.train(b, X, y, epochs=2, batch_size=32, lr=0.01, seed=0, objective=head)
    assert calls == [32, 32, 32, 4] * 2 and hooked.total_flops == plain.total_flops
    for (Wa, ba), (Wb, bb) in zip(a.params, b.params):
        np.testing.assert_allclose(Wa, Wb, rtol=0, atol=1e-12)
        np.testing.assert_allclose(ba, bb, rtol=0, atol=1e-12)
    costly = nn.Objective(cross_entropy, lambda n: nn.loss_head_flops(model, n) + 7 * n)
    h = nn.train(model.copy(), X, y, epochs=1, batch_size=32, lr=0.01, seed=0, objective=costly)
    assert h.total_flops == nn.train_flops(model, 100, 1, 32) + 7 * 100
    with pytest.raises(ValueError, match="sample_weight"):
        nn.train(model.copy(), X, y, epochs=1, batch_size=32, lr=0.01, objective=head, sample_weight=np.ones(100))


def test_flops_to_reach():
    X, y = blobs()
    h = nn.train(nn.MLP([2, 8, 3]), X, y, epochs=5, batch_size=30, lr=0.02, seed=0, X_val=X, y_val=y, eval_every=2)
    first = np.flatnonzero(h.val_accuracy >= 0.9)[0]
    assert h.flops_to_reach(0.9) == h.flops[first]
    assert h.flops_to_reach(0.0) == 0.0
    assert h.flops_to_reach(1.0) in (math.inf, *h.flops)
    with pytest.raises(ValueError, match="accuracy"):
        h.flops_to_reach(90)
    bare = nn.train(nn.MLP([2, 8, 3]), X, y, epochs=1, batch_size=30, lr=0.02)
    with pytest.raises(ValueError, match="validation"):
        bare.flops_to_reach(0.5)


def test_sample_weights_shift_the_decision():
    X, y = blobs(300, distance=1.0)  # overlapping classes
    heavy = np.where(y == 0, 20.0, 1.0)
    plain = nn.MLP([2, 8, 3], seed=0)
    weighted = plain.copy()
    nn.train(plain, X, y, epochs=10, batch_size=30, lr=0.01, seed=0)
    nn.train(weighted, X, y, epochs=10, batch_size=30, lr=0.01, seed=0, sample_weight=heavy)
    assert np.mean(weighted.predict(X) == 0) > np.mean(plain.predict(X) == 0)


def test_copy_is_independent():
    model = nn.MLP([2, 3, 2])
    clone = model.copy()
    clone.params[0][0][:] = 0
    assert not np.all(model.params[0][0] == 0)
    assert clone.sizes == model.sizes and repr(clone) == repr(model)


def test_energy_of_uses_the_accelerator_model():
    from energylab import models
    from energylab.units import u

    e = nn.energy_of(1e12)
    assert e.units == u.J
    assert e.magnitude == pytest.approx(models.energy_for_flops(1e12, "A100").to("J").magnitude)
    assert nn.energy_of(2e12, "A100", 0.2).magnitude == pytest.approx(4 * e.magnitude)


# ------------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------------

@pytest.fixture
def data():
    return blobs(40)


@pytest.mark.parametrize("kwargs,error,match", [
    (dict(lr=-0.1), ValueError, "lr must be greater than 0"),
    (dict(lr=0), ValueError, "lr must be greater than 0"),
    (dict(lr="fast"), TypeError, "lr must be a plain number"),
    (dict(epochs=0), ValueError, "epochs must be at least 1"),
    (dict(epochs=2.5), TypeError, "epochs must be a whole number"),
    (dict(batch_size=0), ValueError, "batch_size must be at least 1"),
    (dict(optimizer="rmsprop"), ValueError, "optimizer must be one of"),
    (dict(weight_decay=-1), ValueError, "weight_decay cannot be negative"),
    (dict(eval_every=0), ValueError, "eval_every must be at least 1"),
    (dict(seed="x"), TypeError, "seed"),
])
def test_train_rejects_bad_settings(data, kwargs, error, match):
    X, y = data
    settings = dict(epochs=1, batch_size=8, lr=0.01) | kwargs
    with pytest.raises(error, match=match):
        nn.train(nn.MLP([2, 4, 3]), X, y, **settings)


def test_train_rejects_bad_data(data):
    X, y = data
    model = nn.MLP([2, 4, 3])
    fit = dict(epochs=1, batch_size=8, lr=0.01)
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        nn.train(model, X[:, :1], y, **fit)
    with pytest.raises(ValueError, match=r"X must have shape"):
        nn.train(model, X[0], y, **fit)
    with pytest.raises(ValueError, match=r"y must be 1-D with one label per sample, shape \(40,\)"):
        nn.train(model, X, y[:30], **fit)
    with pytest.raises(TypeError, match=r"y must hold integer class labels 0..2; got non-integer value \d\.5\."):
        nn.train(model, X, y + 0.5, **fit)
    with pytest.raises(TypeError, match="y must"):
        nn.train(model, X, y.astype(str), **fit)
    with pytest.raises(ValueError, match="y must hold class labels between 0 and 2"):
        nn.train(model, X, y + 1, **fit)
    with pytest.raises(ValueError, match="X must be finite"):
        nn.train(model, np.where(X > 1, np.nan, X), y, **fit)
    with pytest.raises(ValueError, match="X_val and y_val must be given together"):
        nn.train(model, X, y, X_val=X, **fit)
    with pytest.raises(ValueError, match=r"X_val must have shape"):
        nn.train(model, X, y, X_val=X[:, :1], y_val=y, **fit)
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(40,\)"):
        nn.train(model, X, y, sample_weight=np.ones(3), **fit)
    with pytest.raises(ValueError, match="sample_weight must be finite and non-negative"):
        nn.train(model, X, y, sample_weight=-np.ones(40), **fit)
    with pytest.raises(TypeError, match="model must be an energylab.nn model"):
        nn.train("model", X, y, **fit)
    # integral floats are accepted as labels
    nn.train(model, X, y.astype(float), **fit)


def test_models_reject_bad_construction_and_input():
    with pytest.raises(ValueError, match="sizes needs at least"):
        nn.MLP([3])
    with pytest.raises(ValueError, match="number of classes"):
        nn.MLP([3, 1])
    with pytest.raises(ValueError, match=r"sizes\[1\] must be at least 1"):
        nn.MLP([3, 0, 2])
    with pytest.raises(TypeError, match="sizes must be a list"):
        nn.MLP(3)
    with pytest.raises(ValueError, match="activation must be one of"):
        nn.MLP([3, 2], activation="gelu")
    with pytest.raises(ValueError, match="n_classes must be at least 2"):
        nn.SoftmaxRegression(3, 1)
    model = nn.SoftmaxRegression(3, 2)
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 3\)"):
        model.predict(np.ones((4, 2)))
    with pytest.raises(TypeError, match="X must be a 2-D array"):
        model.forward(None)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        nn.train_step_flops(model, 0)
    with pytest.raises(TypeError, match="model must be"):
        nn.forward_flops([3, 2], 5)


def test_activity_penalty_gradient_and_flops():
    rng = np.random.default_rng(0)
    X, y = rng.random((6, 5)), rng.integers(0, 3, 6)
    model = nn.MLP([5, 4, 3], seed=1)
    c = 0.3

    def objective(m):
        loss, _ = nn.loss_and_gradients(m, X, y)
        return loss + c * sum(float(a.sum()) for a in m._forward_all(X)[1:-1]) / len(X)

    outs = model._forward_all(X)
    _, delta = nn.gradients._cross_entropy_head(outs[-1], y, 1 / len(X))
    grads = nn.backprop(model, outs, delta, c / len(X))
    eps = 1e-6
    W = model.params[0][0]
    for idx in [(0, 0), (2, 3), (4, 1)]:
        W[idx] += eps
        up = objective(model)
        W[idx] -= 2 * eps
        down = objective(model)
        W[idx] += eps
        assert grads[0][0][idx] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-9)
    assert nn.train_step_flops(model, 6, activity_penalty=c) == nn.train_step_flops(model, 6) + 2 * 6 * 4
    history = nn.train(model, X, y, epochs=2, batch_size=3, lr=1e-2, activity_penalty=c)
    assert history.flops[-1] == 4 * nn.train_step_flops(model, 3, activity_penalty=c)
    with pytest.raises(ValueError, match="activity_penalty"):
        nn.train(model, X, y, epochs=1, batch_size=3, lr=1e-2, activity_penalty=-1)
    with pytest.raises(ValueError, match="ReLU"):
        nn.train(nn.MLP([5, 4, 3], activation="tanh"), X, y, epochs=1, batch_size=3, lr=1e-2, activity_penalty=c)
