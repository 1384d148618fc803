"""Seqlane training: sequence models, trainer, ONNX export with parity (see training/README.md)."""

__version__ = "0.1.0"
