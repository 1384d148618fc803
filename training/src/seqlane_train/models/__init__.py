"""The model zoo: one module per family on the shared layers; REGISTRY maps CLI names to classes."""

from .base import SeqModel
from .baseline import TargetOnly
from .bst import BST
from .config import ModelConfig
from .dien import DIEN
from .din import DIN
from .dmt import DMT
from .dsin import DSIN
from .pooling import YoutubeDNN
from .sim import SIM

REGISTRY: dict[str, type[SeqModel]] = {
    "target_only": TargetOnly,
    "pooling": YoutubeDNN,
    "din": DIN,
    "dien": DIEN,
    "bst": BST,
    "dsin": DSIN,
    "sim": SIM,
    "dmt": DMT,
}

__all__ = [
    "BST",
    "DIEN",
    "DIN",
    "DMT",
    "DSIN",
    "REGISTRY",
    "SIM",
    "ModelConfig",
    "SeqModel",
    "TargetOnly",
    "YoutubeDNN",
]
