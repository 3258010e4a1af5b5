import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before anything imports TensorFlow: keep its C++ log lines out

from .cli import main  # noqa: E402

sys.exit(main())
