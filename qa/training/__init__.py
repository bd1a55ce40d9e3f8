"""Training and fitting: reader training data and runs, calibration, the threshold and decision fits,
the question adapter, the translation table and the GPU bundle.

This package imports the runtime (:mod:`qa`); the runtime never imports it.
"""
