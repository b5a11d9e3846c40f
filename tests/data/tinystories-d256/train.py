#!/usr/bin/python3
"""Trains the small Llama kept beside this script (model.safetensors + config.json).

Why it exists: stories260K, the one trained model in the test data, has rows of 64 and 172
values, too short for ggml's K-quants (super-blocks of 256). This model's rows are 256 and 768
wide, so every linear layer holds whole super-blocks, and tests compare Salience's K-quant
files with llama.cpp's on a model that has learnt something rather than on random weights.

What it is: a Llama (RMSNorm, rotary position embedding in Hugging Face's rotate-half layout,
grouped-query attention, SwiGLU) of dim 256, 8 heads, 4 key/value heads, hidden 768, 4 blocks,
separate classifier, with stories260K's 512-token SentencePiece vocabulary (tok512.bin). It is
trained on the SECOND half of tinystories_valid_head.txt (the text after the last newline
before the middle byte), so the first half stays held out for perplexity.

How to remake it (python3-torch from Debian; about fifteen minutes on two cores; a fixed seed, but
float sums may differ between machines and torch versions, so the bytes may differ too):

    /usr/bin/python3 tests/data/tinystories-d256/train.py \
        --cli build/app/cli/salience-cli \
        --text ../shared/models/text/tinystories_valid_head.txt \
        --tokenizer ../shared/models/stories260K/tok512.bin

The token ids come from `salience-cli tokenize`, so training and every test see the same ids.
"""
import argparse
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F

CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "hidden_size": 256,
    "intermediate_size": 768,
    "num_hidden_layers": 4,
    "num_attention_heads": 8,
    "num_key_value_heads": 4,
    "head_dim": 32,
    "vocab_size": 512,
    "max_position_embeddings": 512,
    "rms_norm_eps": 1e-05,
    "rope_theta": 10000.0,
    "hidden_act": "silu",
    "tie_word_embeddings": False,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "torch_dtype": "float16",
    "attention_bias": False,
    "mlp_bias": False,
}
BOS = 1
WINDOW = 256  # BOS + 255 tokens of text, as Salience's and llama-perplexity's windows start


def second_half(text: str) -> str:
    cut = text.rfind("\n", 0, len(text) // 2) + 1
    return text[cut:]


def tokenize(cli: str, tokenizer: str, text: str) -> list:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(text)
        path = f.name
    try:
        out = subprocess.run([cli, "tokenize", "--tokenizer", tokenizer, "--text", path, "--json"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    ids = json.loads(out)["ids"]
    return ids[1:] if ids and ids[0] == BOS else ids


class Llama(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        d, h, kv, hd = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        ff, v, n = c["intermediate_size"], c["vocab_size"], c["num_hidden_layers"]
        self.h, self.kv, self.hd, self.eps = h, kv, hd, c["rms_norm_eps"]
        lin = lambda i, o: torch.nn.Linear(i, o, bias=False)
        self.embed = torch.nn.Embedding(v, d)
        self.layers = torch.nn.ModuleList()
        for _ in range(n):
            block = torch.nn.Module()
            block.q, block.k, block.v, block.o = lin(d, h * hd), lin(d, kv * hd), lin(d, kv * hd), lin(h * hd, d)
            block.gate, block.up, block.down = lin(d, ff), lin(d, ff), lin(ff, d)
            block.attn_norm = torch.nn.Parameter(torch.ones(d))
            block.mlp_norm = torch.nn.Parameter(torch.ones(d))
            self.layers.append(block)
        self.norm = torch.nn.Parameter(torch.ones(d))
        self.head = lin(d, v)
        for p in self.parameters():
            if p.dim() == 2:
                torch.nn.init.normal_(p, std=0.02)
        for block in self.layers:  # GPT-2's scaled init of the residual projections
            torch.nn.init.normal_(block.o.weight, std=0.02 / math.sqrt(2 * n))
            torch.nn.init.normal_(block.down.weight, std=0.02 / math.sqrt(2 * n))
        inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, hd, 2).float() / hd))
        angles = torch.outer(torch.arange(c["max_position_embeddings"]).float(), inv)
        self.register_buffer("cos", torch.cat([angles.cos()] * 2, dim=-1), persistent=False)
        self.register_buffer("sin", torch.cat([angles.sin()] * 2, dim=-1), persistent=False)

    def rms(self, x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * w

    def rope(self, x):  # Hugging Face's rotate_half: pairs (i, i + hd/2)
        t = x.shape[2]
        half = x.shape[-1] // 2
        rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
        return x * self.cos[:t] + rotated * self.sin[:t]

    def forward(self, ids):
        b, t = ids.shape
        x = self.embed(ids)
        for blk in self.layers:
            a = self.rms(x, blk.attn_norm)
            q = blk.q(a).view(b, t, self.h, self.hd).transpose(1, 2)
            k = blk.k(a).view(b, t, self.kv, self.hd).transpose(1, 2)
            v = blk.v(a).view(b, t, self.kv, self.hd).transpose(1, 2)
            q, k = self.rope(q), self.rope(k)
            k = k.repeat_interleave(self.h // self.kv, dim=1)
            v = v.repeat_interleave(self.h // self.kv, dim=1)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True) if hasattr(F, "scaled_dot_product_attention") \
                else self.attention(q, k, v)
            x = x + blk.o(y.transpose(1, 2).reshape(b, t, self.h * self.hd))
            m = self.rms(x, blk.mlp_norm)
            x = x + blk.down(F.silu(blk.gate(m)) * blk.up(m))
        return self.head(self.rms(x, self.norm))

    @staticmethod
    def attention(q, k, v):
        t = q.shape[2]
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        return scores.masked_fill(mask, float("-inf")).softmax(-1) @ v

    def hf_tensors(self):
        out = {"model.embed_tokens.weight": self.embed.weight}
        for i, blk in enumerate(self.layers):
            p = f"model.layers.{i}."
            out[p + "self_attn.q_proj.weight"] = blk.q.weight
            out[p + "self_attn.k_proj.weight"] = blk.k.weight
            out[p + "self_attn.v_proj.weight"] = blk.v.weight
            out[p + "self_attn.o_proj.weight"] = blk.o.weight
            out[p + "mlp.gate_proj.weight"] = blk.gate.weight
            out[p + "mlp.up_proj.weight"] = blk.up.weight
            out[p + "mlp.down_proj.weight"] = blk.down.weight
            out[p + "input_layernorm.weight"] = blk.attn_norm
            out[p + "post_attention_layernorm.weight"] = blk.mlp_norm
        out["model.norm.weight"] = self.norm
        out["lm_head.weight"] = self.head.weight
        return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().to(torch.float16).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F16", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for blob in blobs:
            f.write(blob)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True, help="salience-cli, for the token ids")
    ap.add_argument("--text", required=True, help="tinystories_valid_head.txt")
    ap.add_argument("--tokenizer", required=True, help="stories260K's tok512.bin")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    torch.manual_seed(1234)
    torch.set_num_threads(args.threads)
    with open(args.text, encoding="utf-8") as f:
        ids = torch.tensor(tokenize(args.cli, args.tokenizer, second_half(f.read())), dtype=torch.long)
    print(f"{len(ids)} training tokens", file=sys.stderr)

    model = Llama(CONFIG)
    decay = [p for p in model.parameters() if p.dim() == 2]
    other = [p for p in model.parameters() if p.dim() != 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95))
    warmup = 30
    generator = torch.Generator().manual_seed(99)
    start = time.time()
    for step in range(args.steps):
        lr = args.lr * min(1.0, (step + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        for g in opt.param_groups:
            g["lr"] = lr
        offsets = torch.randint(0, len(ids) - WINDOW, (args.batch,), generator=generator)
        rows = torch.stack([ids[o:o + WINDOW] for o in offsets])
        inputs = torch.cat([torch.full((args.batch, 1), BOS), rows[:, :-1]], dim=1)
        logits = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), rows.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 50 == 0 or step == args.steps - 1:
            print(f"step {step} loss {loss.item():.4f} lr {lr:.2e} {time.time() - start:.0f}s", file=sys.stderr)

    os.makedirs(args.out, exist_ok=True)
    write_safetensors(os.path.join(args.out, "model.safetensors"), model.hf_tensors())
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
