from __future__ import annotations

import torch

from seqlane_train.layers import DinAttention, MaskedAUGRU, MaskedBiLSTM, MaskedGRU, masked_softmax


def left_pad(x: torch.Tensor, extra: int) -> tuple[torch.Tensor, torch.Tensor]:
    pad = torch.randn(x.shape[0], extra, x.shape[2])  # garbage in padded slots must not matter
    mask = torch.cat([torch.zeros(x.shape[0], extra), torch.ones(x.shape[0], x.shape[1])], 1)
    return torch.cat([pad, x], 1), mask


def test_masked_gru_ignores_left_padding() -> None:
    torch.manual_seed(0)
    gru = MaskedGRU(4, 5)
    x = torch.randn(3, 6, 4)
    ref = gru(x, torch.ones(3, 6))[:, -1]
    xp, mp = left_pad(x, 4)
    assert torch.allclose(gru(xp, mp)[:, -1], ref, atol=1e-6)


def test_augru_with_zero_attention_keeps_state_zero() -> None:
    torch.manual_seed(0)
    augru = MaskedAUGRU(4, 5)
    x = torch.randn(2, 7, 4)
    h = augru(x, torch.zeros(2, 7), torch.ones(2, 7))
    assert torch.allclose(h, torch.zeros_like(h))
    xp, mp = left_pad(x, 3)
    a = torch.rand(2, 7)
    ap = torch.cat([torch.rand(2, 3), a], 1)
    assert torch.allclose(augru(xp, ap * mp, mp), augru(x, a, torch.ones(2, 7)), atol=1e-6)


def test_bilstm_ignores_padding_steps() -> None:
    torch.manual_seed(0)
    lstm = MaskedBiLSTM(4, 3)
    x = torch.randn(2, 3, 4)
    ref = lstm(x, torch.ones(2, 3))
    xp, mp = left_pad(x, 2)
    out = lstm(xp, mp)
    assert torch.allclose(out[:, 2:], ref, atol=1e-6)
    assert torch.all(out[:, :2] == 0)


def test_masked_softmax_empty_row_is_zero_and_real_rows_sum_to_one() -> None:
    w = masked_softmax(torch.randn(2, 4), torch.tensor([[0.0, 0, 0, 0], [0, 1, 1, 0]]))
    assert torch.all(w[0] == 0) and abs(float(w[1].sum()) - 1) < 1e-6


def test_din_attention_ignores_masked_keys() -> None:
    torch.manual_seed(0)
    att = DinAttention(6).eval()
    q, k = torch.randn(2, 6), torch.randn(2, 5, 6)
    mask = torch.tensor([[1.0, 1, 0, 0, 1], [0, 0, 0, 0, 0]])
    k2 = k.clone()
    k2[:, 2:4] = 100.0
    k2[1] = 7.0
    assert torch.allclose(att(q, k, mask), att(q, k2, mask))
    assert torch.all(att(q, k, mask)[1] == 0)
