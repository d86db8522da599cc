"""Training: the code that fits the package's data files, one command each.

* ``python -m claims.training.calibrate``: similarity thresholds and lexical weight per model
  (``claims/data/thresholds.json``);
* ``python -m claims.training.stance``: the stance classifier weights
  (``claims/data/stance_classifier.npz``).

Both read tuning data from ``../shared/eval`` (``CLAIMS_EVAL_DIR``) and skip with a message
when it is absent. Benchmarks only measure; they never write here.
"""
