"""loopready: practise an AI product-manager interview loop, locally."""

import os

# numpy's OpenBLAS starts a thread per core for the grader's small matrix products
# (21 x 384 by 97 x 384); on a 2-core machine those threads spin against the
# embedding model's and a warm grade took up to 130 ms longer. Set before numpy is
# imported; a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
