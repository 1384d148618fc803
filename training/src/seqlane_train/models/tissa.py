"""TiSSA (WWW'19): time slices, recurrence within each slice, self-attention across slices.

Time slices: a record's slice is its time_gap bucket, the field the feature layer already
derives identically online and offline (docs/manifest.md: 1 + floor(log2(1 + minutes since the
request)), capped at gap_buckets - 1). So there are G = gap_buckets - 1 slices of exponentially
growing width: the last minute, 1-3 minutes, 3-7, ..., 11 days and older (16 buckets). Chosen over a
fixed number of equal slices of the sequence because slices should be *time* windows (two
bursts an hour apart belong to different slices however many records they hold), because
recent behaviour gets the finer resolution, and because no new derived field is needed.
The sequence is newest last and gaps never increase along it, so a slice is a contiguous run.

Within each slice a GRU reads that slice's records, oldest first; the slice representation is
its last state. Export-safe: the G slices are a float one-hot [U, G, L] (record's bucket == g,
times the mask) and the one MaskedGRU runs over the [U * G, L] batch with that one-hot as its
mask, so a record only ever updates its own slice's state (records in different slices share
no state) and empty slices stay at zero. Across slices: a learned slice embedding is added and
one transformer block (self-attention over the real slices) relates them; then the candidate
attends (multi-head, softmax) over the slice representations. Behaviour type is added to each
record's embedding (mixed sequence); time enters through the slicing itself.
"""

from __future__ import annotations

import torch
from torch import nn

from ..layers import MaskedGRU, MultiHeadAttention
from .base import Inputs, SeqModel
from .blocks import TransformerBlock
from .config import ModelConfig


class TiSSA(SeqModel):
    name = "tissa"
    family = "transformer"
    architecture = "tissa"
    slot_names = ("mixed",)
    slot_fields = {"mixed": ("item", "category", "type", "time_gap")}
    static_length = ("mixed",)  # the GRU is unrolled over max_len

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d, h = cfg.rep_dim, cfg.rnn_hidden
        self.n_slices = cfg.gap_buckets - 1  # gap buckets 1..gap_buckets-1; 0 is padding
        self.gru = MaskedGRU(d, h)
        self.slice_emb = nn.Parameter(torch.zeros(self.n_slices, h))
        self.block = TransformerBlock(h, cfg.heads, cfg.dropout)
        self.target_att = MultiHeadAttention(d, h, h, cfg.heads)
        self.build_head(h + d)

    def slices(self, inputs: Inputs) -> tuple[torch.Tensor, torch.Tensor]:
        """(slice representations [U, G, H], slice mask [U, G]) before the cross-slice attention."""
        x = self.item_rep(inputs, "mixed") + self.emb("type", self.tensor(inputs, "mixed", "type"))
        m = self.mask(inputs, "mixed")
        gap = self.tensor(inputs, "mixed", "time_gap")
        u, length, d = x.shape[0], x.shape[1], x.shape[2]
        g = torch.arange(1, self.n_slices + 1, device=gap.device, dtype=gap.dtype)
        member = (gap.unsqueeze(1) == g.view(1, -1, 1)).to(m.dtype) * m.unsqueeze(1)  # [U, G, L]
        xs = x.unsqueeze(1).expand(u, self.n_slices, length, d).reshape(u * self.n_slices, length, d)
        states = self.gru(xs, member.reshape(u * self.n_slices, length))  # [U*G, L, H]
        reps = states[:, -1].reshape(u, self.n_slices, -1)  # last state = after the slice's newest record
        s_mask = (member.sum(-1) > 0).to(m.dtype)
        return reps, s_mask

    def encode(self, inputs: Inputs) -> torch.Tensor:
        reps, s_mask = self.slices(inputs)
        z_u = self.block(reps + self.slice_emb, s_mask)  # self-attention across slices, once per user
        q = self.target_rep(inputs)
        z, sm = self.to_candidates(z_u, inputs), self.to_candidates(s_mask, inputs)
        interest = self.target_att(q.unsqueeze(1), z, sm).squeeze(1)
        return torch.cat([interest, q], dim=-1)
