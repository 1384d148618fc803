"""Each survey model's core operator does what its paper says (DUPN, DHAN, ATRank, TiSSA, SURGE, AliSearch)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from seqlane_train import synthetic
from seqlane_train.manifest import BEHAVIOURS
from seqlane_train.models import REGISTRY, ModelConfig
from seqlane_train.models.dupn import MaskedLSTM

CFG = ModelConfig(
    item_buckets=500,
    cat_buckets=40,
    max_len={"clicks": 16, "mixed": 10, "purchases": 6, "device_clicks": 6, "exposures": 6},
)


def _model(name: str, cfg: ModelConfig = CFG) -> torch.nn.Module:
    torch.manual_seed(0)
    return REGISTRY[name](cfg).eval()


def _feed(model: torch.nn.Module, users: int = 3, cands: int = 5, seed: int = 0) -> dict[str, np.ndarray]:
    return synthetic.inputs(model.manifest(), users, cands, seed=seed)


def _t(feed: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
    return {k: torch.from_numpy(v.copy()) for k, v in feed.items()}


def _one_user(feed: dict[str, np.ndarray], cands: int) -> None:
    feed["cand_user_index"] = np.zeros(cands, np.int64)


# ---- DUPN ----------------------------------------------------------------------------------


def test_dupn_defaults_to_esmm_and_ctcvr_is_ctr_times_cvr() -> None:
    model = _model("dupn")
    assert model.manifest().tasks == ("ctr", "cvr", "ctcvr")
    with torch.no_grad():
        out = model(_t(_feed(model)))
    assert torch.allclose(out["ctcvr"], out["ctr"] * out["cvr"], atol=1e-7)
    assert not torch.allclose(out["ctr"], out["cvr"])  # two towers, not one probability twice


def test_dupn_embeds_behaviour_type_and_time_per_step_and_attends_over_real_steps() -> None:
    model = _model("dupn")
    feed = _feed(model, users=1, cands=2, seed=3)
    _one_user(feed, 2)
    m = feed["mix_mask"]
    m[0] = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
    for k in ("mix_item", "mix_cat", "mix_type", "mix_gap"):
        feed[k][0] = np.where(m[0] > 0, np.maximum(feed[k][0], 1), 0)
    feed["mix_type"][0, 3:] = BEHAVIOURS["click"]
    with torch.no_grad():
        a, _h, _ = model.attention(_t(feed))
        base = model(_t(feed))["ctr"]
        assert torch.allclose(a.sum(-1), torch.ones(2)) and torch.all(a[:, :3] == 0)
        bought = {k: v.copy() for k, v in feed.items()}
        bought["mix_type"][0, 5] = BEHAVIOURS["purchase"]  # the same record, now a purchase
        assert not torch.allclose(model(_t(bought))["ctr"], base, atol=1e-6)
        older = {k: v.copy() for k, v in feed.items()}
        older["mix_gap"][0, 5] += 3  # the same record, longer ago
        assert not torch.allclose(model(_t(older))["ctr"], base, atol=1e-6)
        pad = {k: v.copy() for k, v in feed.items()}
        pad["mix_type"][0, 1] = BEHAVIOURS["purchase"]  # a padding position: masked out
        assert torch.allclose(model(_t(pad))["ctr"], base, atol=0)


def test_dupn_lstm_reads_order_and_skips_padding() -> None:
    torch.manual_seed(0)
    lstm = MaskedLSTM(4, 3)
    x = torch.randn(1, 5, 4)
    full = lstm(x, torch.ones(1, 5))[:, -1]
    padded = lstm(torch.cat([torch.randn(1, 2, 4), x], 1), torch.tensor([[0.0, 0, 1, 1, 1, 1, 1]]))[:, -1]
    assert torch.allclose(full, padded, atol=1e-6)  # left padding is a no-op
    assert not torch.allclose(full, lstm(x.flip(1), torch.ones(1, 5))[:, -1], atol=1e-4)  # order matters


# ---- DHAN ----------------------------------------------------------------------------------

CATS = [0, 0, 0, 3, 5, 3, 7, 5, 3, 9, 3, 5, 7, 3, 9, 5]  # clicks L = 16, 3 pads, 4 clusters


def _dhan_feed(model: torch.nn.Module, cands: int = 4) -> dict[str, np.ndarray]:
    feed = _feed(model, users=1, cands=cands, seed=1)
    _one_user(feed, cands)
    cats = np.array(CATS)
    feed["clicks_mask"][0] = (cats > 0).astype(np.float32)
    feed["clicks_cat"][0] = cats
    feed["clicks_item"][0] = np.where(cats > 0, 10 + np.arange(len(cats)), 0)  # distinct items
    return feed


def _clusters_by_category(model: torch.nn.Module, feed: dict[str, np.ndarray]) -> dict[int, torch.Tensor]:
    with torch.no_grad():
        _s, _e, c, rep = model.clusters(_t(feed))
    cats = feed["clicks_cat"][0]
    out = {int(cats[i]): c[:, i] for i in range(len(cats)) if rep[0, i] > 0}
    assert len(out) == int(rep[0].sum()) == len(set(cats[cats > 0]))  # each cluster represented once
    return out


def test_dhan_cluster_is_the_weighted_mean_of_its_members() -> None:
    model = _model("dhan")
    feed = _dhan_feed(model)
    with torch.no_grad():
        s, e, c, _rep = model.clusters(_t(feed))
    cats = np.array(CATS)
    for i in np.flatnonzero(cats > 0):
        members = np.flatnonzero(cats == cats[i])
        w = torch.softmax(s[:, members], dim=-1)  # w_j = exp(s_j), normalised within the cluster
        want = (w.unsqueeze(-1) * e[:, members]).sum(1)
        assert torch.allclose(c[:, i], want, atol=1e-6)


def test_dhan_permuting_within_a_cluster_keeps_every_cluster_representation() -> None:
    model = _model("dhan")
    feed = _dhan_feed(model)
    before = _clusters_by_category(model, feed)
    with torch.no_grad():
        out_before = model(_t(feed))["ctr"]
    perm = {k: v.copy() for k, v in feed.items()}
    pos = np.flatnonzero(np.array(CATS) == 3)
    perm["clicks_item"][0, pos] = feed["clicks_item"][0, pos[::-1]]  # reorder category 3's records
    after = _clusters_by_category(model, perm)
    for cat, vec in before.items():
        assert torch.allclose(after[cat], vec, atol=1e-6), cat
    with torch.no_grad():
        assert torch.allclose(model(_t(perm))["ctr"], out_before, atol=1e-6)
    # moving one record of category 3 into category 7 changes exactly those two clusters
    moved = {k: v.copy() for k, v in feed.items()}
    moved["clicks_cat"][0, pos[0]] = 7
    changed = _clusters_by_category(model, moved)
    for cat, vec in before.items():
        assert torch.allclose(changed[cat], vec, atol=1e-6) == (cat not in (3, 7)), cat


# ---- ATRank --------------------------------------------------------------------------------


def test_atrank_a_types_projection_is_used_only_for_records_of_that_type() -> None:
    model = _model("atrank")
    feed = _feed(model, users=4, cands=4, seed=2)
    types = feed["mix_type"]
    cart = BEHAVIOURS["cart"]
    assert (types == cart).any() and ((types != cart) & (feed["mix_mask"] > 0)).any()
    with torch.no_grad():
        before = model.projected(_t(feed))
        model.project.weight[cart - 1].add_(0.5)  # change the cart map only
        model.project.bias[cart - 1].add_(0.1)
        after = model.projected(_t(feed))
    changed = (after - before).abs().amax(-1) > 1e-6
    assert torch.equal(changed, torch.from_numpy((types == cart) & (feed["mix_mask"] > 0)))
    # and a cart record is exactly F_cart(raw)
    u, i = map(int, np.argwhere((types == cart) & (feed["mix_mask"] > 0))[0])
    t = _t(feed)
    with torch.no_grad():
        raw = torch.cat([model.item_rep(t, "mixed"), model.emb("time_gap", t["mix_gap"])], -1)[u, i]
        want = raw @ model.project.weight[cart - 1] + model.project.bias[cart - 1]
    assert torch.allclose(after[u, i], want, atol=1e-6)


# ---- TiSSA ---------------------------------------------------------------------------------

GAPS = [0, 0, 11, 11, 11, 7, 7, 3, 3, 3]  # mixed L = 10: slices 11, 7 and 3, oldest first


def _tissa_feed(model: torch.nn.Module) -> dict[str, np.ndarray]:
    feed = _feed(model, users=1, cands=3, seed=4)
    _one_user(feed, 3)
    gaps = np.array(GAPS)
    real = gaps > 0
    feed["mix_mask"][0] = real.astype(np.float32)
    feed["mix_gap"][0] = gaps
    for k in ("mix_item", "mix_cat", "mix_type"):
        feed[k][0] = np.where(real, np.maximum(feed[k][0], 1), 0)
    return feed


def test_tissa_records_in_different_slices_share_no_gru_state() -> None:
    model = _model("tissa")
    feed = _tissa_feed(model)
    with torch.no_grad():
        reps, s_mask = model.slices(_t(feed))
    assert [g + 1 for g in torch.nonzero(s_mask[0]).flatten().tolist()] == [3, 7, 11]
    assert torch.all(reps[0][s_mask[0] == 0] == 0)  # empty slices stay at the zero state
    # a slice's representation is the GRU over that slice's records alone, from a zero state
    t = _t(feed)
    with torch.no_grad():
        x = model.item_rep(t, "mixed") + model.emb("type", t["mix_type"])
        for g in (3, 7, 11):
            idx = [i for i, v in enumerate(GAPS) if v == g]
            alone = model.gru(x[:, idx], torch.ones(1, len(idx)))[:, -1]
            assert torch.allclose(reps[0, g - 1], alone[0], atol=1e-6), g
    # changing a record of slice 7 changes slice 7 only
    other = {k: v.copy() for k, v in feed.items()}
    other["mix_item"][0, 5] = other["mix_item"][0, 5] % 400 + 17
    with torch.no_grad():
        reps2, _ = model.slices(_t(other))
    diff = (reps2 - reps).abs().amax(-1)[0]
    assert diff[7 - 1] > 1e-6 and float(diff[[3 - 1, 11 - 1]].max()) == 0.0


# ---- SURGE ---------------------------------------------------------------------------------


def test_surge_graph_keeps_the_stated_share_of_edges_and_the_strongest_ones() -> None:
    model = _model("surge")
    feed = _feed(model, users=6, cands=6, seed=5)
    m = feed["clicks_mask"]
    m[:] = 0
    for u, n in enumerate([0, 1, 2, 5, 11, 16]):
        m[u, 16 - n :] = 1
    feed["clicks_item"] = (np.arange(16)[None, :] + 1 + 16 * np.arange(6)[:, None]) * (m > 0)  # distinct items
    feed["clicks_cat"] = ((np.arange(16)[None, :] % 7) + 1) * (m > 0)
    t = _t(feed)
    with torch.no_grad():
        e = model.item_rep(t, "clicks")
        s, a, pairs = model.graph(e, t["clicks_mask"])
    assert torch.equal(a, a.transpose(1, 2)) and torch.all(torch.diagonal(a, dim1=1, dim2=2) == 0)
    for u in range(6):
        n = int(m[u].sum())
        kept = a[u] * pairs[u]
        assert int(kept.sum()) == math.ceil(model.edge_ratio * n * (n - 1) / 2), n
        assert float((a[u] * (1 - t["clicks_mask"][u]).unsqueeze(0)).abs().sum()) == 0  # no edge to padding
        dropped = pairs[u] - kept
        if kept.sum() > 0 and dropped.sum() > 0:
            assert float(s[u][kept > 0].min()) > float(s[u][dropped > 0].max())


def test_surge_pools_to_p_nodes_and_the_augru_reads_them_as_a_shorter_sequence() -> None:
    model = _model("surge")
    assert model.pool_len == math.ceil(0.6 * 16)
    feed = _feed(model, users=3, cands=6, seed=6)
    m = feed["clicks_mask"]
    m[:] = 0
    for u, n in enumerate([16, 12, 4]):
        m[u, 16 - n :] = 1
    feed["clicks_item"] = np.maximum(feed["clicks_item"], 1) * (m > 0)
    feed["clicks_cat"] = np.maximum(feed["clicks_cat"], 1) * (m > 0)
    feed["clicks_item"][0, :9], feed["clicks_cat"][0, :9] = 7, 3  # one item clicked 9 times: tied scores
    t = _t(feed)
    with torch.no_grad():
        p = model.pool(t)
        q = model.target_rep(t)
        att = torch.softmax(model.augru_score(q, p["fused"]) + (p["keep"] - 1) * 1e9, -1) * p["keep"]
        final = model.augru(p["fused"], att, p["keep"])
    n_real = torch.from_numpy(m[t["cand_user_index"].numpy()].sum(-1))
    assert torch.equal(p["keep"].sum(-1), torch.minimum(n_real, torch.tensor(float(model.pool_len))))
    for c in range(6):
        kept = p["keep"][c] > 0
        if (~kept & (p["mask"][c] > 0)).any():  # the kept nodes are the best-scored ones
            assert float(p["gamma"][c][kept].min()) >= float(p["gamma"][c][~kept & (p["mask"][c] > 0)].max())
        idx = torch.nonzero(kept).flatten()  # compact the pooled graph, time order kept
        short = model.augru(p["fused"][c : c + 1, idx], att[c : c + 1, idx], torch.ones(1, len(idx)))
        assert torch.allclose(final[c], short[0], atol=1e-6)


# ---- AliSearch-style ----------------------------------------------------------------------


def test_alisearch_zeroing_one_sources_mask_changes_only_that_sources_pooled_vector() -> None:
    model = _model("alisearch")
    m = model.manifest()
    assert [s.source for s in m.slots] == ["short_mixed", "long_click", "long_purchase", "device_click", "exposure"]
    assert m.tasks == ("ctr", "cvr", "ctcvr")
    feed = _feed(model, users=3, cands=6, seed=7)
    for s in m.slots:  # every source non-empty for every user
        feed[s.mask][:, -1] = 1.0
        for f in s.fields:
            feed[f.tensor][:, -1] = np.maximum(feed[f.tensor][:, -1], 1)
    with torch.no_grad():
        base = model.pooled(_t(feed))
        out = model(_t(feed))
    assert torch.allclose(out["ctcvr"], out["ctr"] * out["cvr"], atol=1e-7)
    for s in m.slots:
        off = {k: v.copy() for k, v in feed.items()}
        off[s.mask][:] = 0.0
        with torch.no_grad():
            pooled = model.pooled(_t(off))
        for name, v in pooled.items():
            same = torch.allclose(v, base[name], atol=0)
            assert same == (name != s.name), (s.name, name)


@pytest.mark.parametrize("name", ["dupn", "dhan", "atrank", "tissa", "surge", "alisearch"])
def test_new_models_declare_only_what_the_feature_layer_builds(name: str) -> None:
    served = {"short_mixed", "long_click", "long_purchase", "device_click", "exposure"}
    for s in _model(name).manifest().slots:
        assert s.source in served and s.view == "plain" and s.types is None
        assert {f.field for f in s.fields} <= {"item", "category", "brand", "type", "time_gap", "position"}
