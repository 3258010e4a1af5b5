"""The inputs each step function is probed with: fresh per submission (from its seed),
so answers cannot be hard-coded. The grader computes the reference's answers to the
same inputs, and the checks read them back by the seed."""


def probe_inputs(seed: int) -> dict:
    import numpy as np

    rng = np.random.default_rng(seed)
    return {
        "images": rng.integers(0, 256, size=(4, 28, 28), dtype=np.uint8),
        "flat_images": rng.random((3, 28, 28), dtype=np.float32),
        "labels": rng.integers(0, 10, size=12),
        "eval_x": rng.random((30, 4), dtype=np.float32),
        "eval_y": rng.integers(0, 3, size=30),
        "eval_kernel": rng.normal(size=(4, 3)).astype(np.float32),
        "eval_bias": rng.normal(size=3).astype(np.float32),
        "truth": np.concatenate([np.arange(10), rng.integers(0, 10, size=14)]),
        "guess": np.concatenate([np.arange(10), rng.integers(0, 10, size=14)]),
        "scores": np.concatenate([rng.normal(size=(3, 5)) * 4, np.full((1, 5), 1000.0)]),
        "history": {key: [round(float(v), 4) for v in rng.random(4)]
                    for key in ("accuracy", "val_accuracy", "loss", "val_loss")},
    }
