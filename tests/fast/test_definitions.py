"""The probe phase loads a notebook's definitions and nothing else of it."""

import ast

from autograder.sandbox.inside.definitions import definitions


def kept(source: str) -> list[str]:
    return [ast.unparse(node).splitlines()[0] for node in definitions(source).body]


def test_imports_functions_and_constants_are_kept():
    source = ('import numpy as np\nfrom keras import layers\nLABEL_ENCODING = "one_hot"\nEPOCHS = 5 * 2\n'
              'def normalize(images, scale=255.0):\n    return images / scale')
    assert kept(source) == ["import numpy as np", "from keras import layers", "LABEL_ENCODING = 'one_hot'",
                            "EPOCHS = 5 * 2", "def normalize(images, scale=255.0):"]


def test_type_hints_do_not_cost_a_function():
    source = "def flatten(images: np.ndarray, shape: tuple[int, int] = (28, 28)) -> np.ndarray:\n    pass"
    assert kept(source) == ["def flatten(images: np.ndarray, shape: tuple[int, int]=(28, 28)) -> np.ndarray:"]


def test_an_optional_import_is_kept_with_its_fallback():
    source = "try:\n    import seaborn as sns\nexcept ImportError:\n    sns = None"
    assert kept(source) == ["try:"]


def test_statements_that_would_run_student_code_are_dropped():
    source = ("history = train_model(model, x, y)\nprint('hi')\nX = load()\n@cache\ndef f():\n    pass\n"
              "def g(x=setup()):\n    pass\nclass Helper:\n    pass\nwhile True:\n    pass\n"
              "if ready():\n    import os\nSHAPE = np.zeros(3)")
    assert kept(source) == []


def test_magics_and_broken_cells_cost_nothing_else():
    assert kept("%matplotlib inline\nimport numpy as np") == ["import numpy as np"]
    assert kept("def broken(:\n    pass") == []
