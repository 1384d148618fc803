"""The model zoo: one module per family on the shared layers; REGISTRY maps CLI names to classes."""

from .alisearch import AliSearch
from .atrank import ATRank
from .base import SeqModel
from .baseline import TargetOnly
from .bst import BST
from .config import ModelConfig
from .dhan import DHAN
from .dien import DIEN
from .din import DIN
from .dmt import DMT
from .dsin import DSIN
from .dupn import DUPN
from .pooling import YoutubeDNN
from .sim import SIM
from .surge import SURGE
from .tissa import TiSSA

REGISTRY: dict[str, type[SeqModel]] = {
    "target_only": TargetOnly,
    "pooling": YoutubeDNN,
    "din": DIN,
    "dien": DIEN,
    "bst": BST,
    "dsin": DSIN,
    "sim": SIM,
    "dmt": DMT,
    "dupn": DUPN,
    "dhan": DHAN,
    "atrank": ATRank,
    "tissa": TiSSA,
    "surge": SURGE,
    "alisearch": AliSearch,
}

__all__ = [
    "BST",
    "DHAN",
    "DIEN",
    "DIN",
    "DMT",
    "DSIN",
    "DUPN",
    "REGISTRY",
    "SIM",
    "SURGE",
    "ATRank",
    "AliSearch",
    "ModelConfig",
    "SeqModel",
    "TargetOnly",
    "TiSSA",
    "YoutubeDNN",
]
