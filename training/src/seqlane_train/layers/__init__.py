"""Shared building blocks: hash-bucket embeddings, MLP with Dice, masked attention, GRU/AUGRU/LSTM cells."""

from .attention import DinAttention, MultiHeadAttention, masked_mean, masked_softmax
from .dice import Dice
from .embedding import Embeddings
from .mlp import MLP
from .recurrent import MaskedAUGRU, MaskedBiLSTM, MaskedGRU

__all__ = [
    "MLP",
    "Dice",
    "DinAttention",
    "Embeddings",
    "MaskedAUGRU",
    "MaskedBiLSTM",
    "MaskedGRU",
    "MultiHeadAttention",
    "masked_mean",
    "masked_softmax",
]
