"""SURGE (SIGIR'21): interest graph from metric learning, cluster/query-aware fusion, graph pooling, AUGRU.

Over the long click sequence (`clicks`, L = 50 by default, a static axis here):

1. Interest graph. Similarity is a multi-head weighted cosine, S_ij = mean_h cos(w_h * e_i,
   w_h * e_j), with one learnable weight vector w_h per head (cfg.heads heads). Relative-rank
   sparsification keeps the top `edge_ratio` share of the pairs of real records (every pair
   i < j counted once): with n real records, k = ceil(edge_ratio * n (n - 1) / 2) edges.
   Export-safe "TopK with computed k": the masked similarities are sorted in full (a TopK whose
   k is the static L * L), the (k+1)-th largest is read with a gather at the computed index
   and the graph is S > threshold, so no shape depends on the data. Similarities tied at the
   threshold (a repeated item has the same similarity row as its copies) are dropped together,
   as in the authors' code, so with repeats the share can fall a little below edge_ratio.
2. Interest fusion (one graph convolution). Cluster embedding of node i: the two-hop average
   A_n A_n E, with A_n the symmetrically normalised adjacency with self-loops. Cluster-aware
   score alpha_i (node against its cluster) and query-aware score beta_i (node against the
   candidate) are DIN-style attention units with a softmax over real nodes; the propagation
   weight of neighbour j to node i is softmax_j LeakyReLU(alpha_j + beta_i) over i's
   neighbourhood (self included), as in the authors' released code; the fused node is
   LeakyReLU(sum_j E_ij W e_j + e_i).
3. Interest extraction (graph pooling). The same two units on the fused nodes give a cluster
   fitness score gamma_i = softmax_i(alpha'_i + beta'_i); the top P = ceil(pool_ratio * L)
   nodes are kept (all of them when the user has no more than P real records). The top-P is a
   rank by pairwise comparison (rank_i = how many real nodes score above i; equal scores go to
   the newer node), so exactly min(n, P) nodes survive even when repeated items tie, with no
   sort and no data-dependent shape; the graph readout is sum_i gamma_i h_i over the kept nodes.
4. Prediction. The pooled graph, flattened in the original time order, is the shorter core
   interest sequence; an AUGRU whose attention is the candidate's softmax attention over that
   sequence reads it. The shorter sequence is represented by a keep-mask over the L nodes:
   masked steps leave the AUGRU state untouched, so this is exactly the AUGRU over the kept
   nodes compacted in order, without a data-dependent length. Features: final state, readout,
   candidate and readout * candidate.

Choices: edge_ratio 0.5 and P = 30 of 50 (pool_ratio 0.6) are the authors' Taobao settings;
one fusion/pooling layer and one attention head, as their default. The paper's graph is
binary (so is the authors' code's), which gives the metric weights w_h no gradient at all;
here the kept edges carry their similarity (clamped at 0) in the normalised adjacency of the
cluster embedding, so the metric is learnt through it, while the attention neighbourhood uses
the binary graph. The pairwise similarity is an elementwise product summed over the embedding
axis (not a matmul), so repeated records get bit-identical similarities within a runtime and
ties fall the same way in PyTorch and onnxruntime (parity holds on sequences of a few repeated
items). The paper's pooling regularisers (same mapping, single affiliation, relative position)
serve its soft assignment matrix; a hard top-P selection that keeps time order needs none.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ..layers import MLP, MaskedAUGRU, masked_softmax
from .base import Inputs, SeqModel
from .config import ModelConfig


class _Score(nn.Module):
    """Attention unit of SURGE's code: MLP([kW, q, kW - q, kW * q]) -> one logit per node."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.w = nn.Linear(dim, dim, bias=False)
        self.mlp = MLP(4 * dim, (36,), act="relu", out_dim=1)

    def forward(self, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """q [B, L, d] or [B, d], k [B, L, d] -> [B, L]."""
        kw = self.w(k)
        q = q.unsqueeze(1).expand_as(kw) if q.dim() == 2 else q
        return self.mlp(torch.cat([kw, q, kw - q, kw * q], dim=-1)).squeeze(-1)


def kth_largest(values: torch.Tensor, k: torch.Tensor, floor: float) -> torch.Tensor:
    """values [B, N], k [B] int64 in [0, N] -> the (k+1)-th largest value [B, 1] (`floor` when k = N)."""
    srt = torch.sort(values, dim=-1, descending=True).values
    srt = torch.cat([srt, torch.full_like(srt[:, :1], floor)], dim=-1)
    return srt.gather(1, k.unsqueeze(-1))


class SURGE(SeqModel):
    name = "surge"
    family = "graph"
    architecture = "surge"
    slot_names = ("clicks",)
    static_length = ("clicks",)  # fixed L: full sort, computed k, unrolled AUGRU
    head_act = "prelu"
    edge_ratio = 0.5
    pool_ratio = 0.6

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d, h = cfg.rep_dim, cfg.rnn_hidden
        self.pool_len = max(1, math.ceil(self.pool_ratio * self.slots["clicks"].max_len))
        self.metric = nn.Parameter(1.0 + 0.1 * torch.randn(cfg.heads, d))
        self.cluster_score = _Score(d)  # alpha: node against its cluster embedding
        self.query_score = _Score(d)  # beta: node against the candidate
        self.fuse = nn.Linear(d, d, bias=False)
        self.augru_score = _Score(d)
        self.augru = MaskedAUGRU(d, h)
        self.build_head(h + 3 * d)

    # ---- 1. interest graph (per user) ----
    def similarity(self, e: torch.Tensor) -> torch.Tensor:
        """Multi-head weighted cosine [B, L, L]."""
        z = F.normalize(e.unsqueeze(1) * self.metric.view(1, -1, 1, e.shape[-1]), dim=-1)  # [B, H, L, d]
        return (z.unsqueeze(-2) * z.unsqueeze(-3)).sum(-1).mean(1)

    def graph(self, e: torch.Tensor, m: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(similarity S, binary graph A without self-loops, candidate pairs i < j) all [B, L, L]."""
        b, length = e.shape[0], e.shape[1]
        s = self.similarity(e)
        idx = torch.arange(length, device=e.device)
        upper = (idx.unsqueeze(1) < idx.unsqueeze(0)).to(m.dtype)
        pairs = m.unsqueeze(-1) * m.unsqueeze(-2) * upper
        n = m.sum(-1)
        k = torch.ceil(self.edge_ratio * n * (n - 1) / 2).to(torch.int64)
        ranked = s * pairs - 3.0 * (1 - pairs)  # cosine >= -1 > -3: non-pairs rank last
        thr = kth_largest(ranked.reshape(b, length * length), k, -4.0).unsqueeze(-1)
        keep = (ranked > thr).to(m.dtype) * pairs
        return s, keep + keep.transpose(1, 2), pairs

    @staticmethod
    def self_loops(m: torch.Tensor) -> torch.Tensor:
        """I restricted to real nodes [B, L, L] (built from comparisons: no eye/diag_embed in the graph)."""
        idx = torch.arange(m.shape[-1], device=m.device)
        return (idx.unsqueeze(1) == idx.unsqueeze(0)).to(m.dtype) * m.unsqueeze(-1)

    @classmethod
    def normalised(cls, a: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
        """D^-1/2 (A + I) D^-1/2 over real nodes."""
        a = a + cls.self_loops(m)
        deg = a.sum(-1).clamp(min=1e-6)
        inv = deg.rsqrt() * m
        return inv.unsqueeze(-1) * a * inv.unsqueeze(-2)

    # ---- 2-3. fusion and pooling (per candidate) ----
    def pool(self, inputs: Inputs) -> dict[str, torch.Tensor]:
        """Every intermediate of the graph part, per candidate: fused nodes, scores, keep-mask, readout."""
        e_u = self.item_rep(inputs, "clicks")
        m_u = self.mask(inputs, "clicks")
        s_u, a_u, _ = self.graph(e_u, m_u)
        an_u = self.normalised(a_u * s_u.clamp(min=0.0), m_u)  # weighted by similarity: the metric's gradient
        alpha_u = masked_softmax(self.cluster_score(an_u @ (an_u @ e_u), e_u), m_u)  # per user
        e, m, a, an, alpha = (self.to_candidates(t, inputs) for t in (e_u, m_u, a_u, an_u, alpha_u))
        q = self.target_rep(inputs)
        beta = masked_softmax(self.query_score(q, e), m)
        nbr = a + self.self_loops(m)  # neighbourhood with self-loops
        logits = F.leaky_relu(alpha.unsqueeze(1) + beta.unsqueeze(2), 0.2)  # [i, j] = alpha_j + beta_i
        prop = masked_softmax(logits, nbr)
        fused = F.leaky_relu(self.fuse(prop @ e) + e, 0.2) * m.unsqueeze(-1)
        alpha2 = masked_softmax(self.cluster_score(an @ (an @ fused), fused), m)
        beta2 = masked_softmax(self.query_score(q, fused), m)
        gamma = masked_softmax(alpha2 + beta2, m)
        keep = self.top_nodes(gamma, m)
        readout = (fused * (gamma * keep).unsqueeze(-1)).sum(1)
        return {"fused": fused, "mask": m, "keep": keep, "gamma": gamma, "readout": readout, "adjacency": a}

    def top_nodes(self, score: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
        """Keep-mask of the min(n, P) best-scored real nodes [B, L]; equal scores go to the newer node.

        rank_i = #{real j scored above i, or equal and newer}: pairwise comparisons, so exactly
        min(n, P) nodes survive even when re-clicked items tie, with no data-dependent shape.
        """
        idx = torch.arange(score.shape[-1], device=score.device)
        newer = (idx.unsqueeze(0) > idx.unsqueeze(1)).to(m.dtype)  # [i, j] = 1 where j is after i
        si, sj = score.unsqueeze(-1), score.unsqueeze(-2)
        ahead = ((sj > si).to(m.dtype) + (sj == si).to(m.dtype) * newer) * m.unsqueeze(-2)
        k = torch.clamp(m.sum(-1, keepdim=True), max=float(self.pool_len))
        return (ahead.sum(-1) < k).to(m.dtype) * m

    def encode(self, inputs: Inputs) -> torch.Tensor:
        p = self.pool(inputs)
        q = self.target_rep(inputs)
        att = masked_softmax(self.augru_score(q, p["fused"]), p["keep"])
        final = self.augru(p["fused"], att, p["keep"])  # the kept nodes in time order
        return torch.cat([final, p["readout"], q, p["readout"] * q], dim=-1)
