"""GPT-2 in one file, with a KV cache, padding mask and explicit positions.

Module names follow Hugging Face's GPT2LMHeadModel (transformer.h.{i}.attn.c_attn, ...)
so converting weights is a rename-free transpose of the Conv1D matrices.
"""
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

GPT2_EOS = 50256


@dataclass
class GPTConfig:
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    block_size: int = 1024  # number of learned positions (HF: n_positions)
    vocab_size: int = 50257
    dropout: float = 0.0
    layer_norm_epsilon: float = 1e-5

    def validate(self):
        for key in ("n_layer", "n_head", "n_embd", "block_size", "vocab_size"):
            value = getattr(self, key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{key} must be a positive integer, got {value!r}")
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}")
        return self

    def to_dict(self):
        return asdict(self)


class CausalSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_head = config.n_head
        self.head_dim = config.n_embd // config.n_head
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)
        self.dropout = config.dropout
        self.resid_dropout = nn.Dropout(config.dropout)
        # The fused kernel (flash attention on CUDA) when this torch has it; export turns it off.
        self.fused = hasattr(F, "scaled_dot_product_attention")

    def forward(self, x, past=None, mask=None):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        k = k.view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        v = v.view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        present = (k, v)
        dropout_p = self.dropout if self.training else 0.0

        if self.fused:
            if mask is None:
                y = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout_p, is_causal=T > 1)
            else:
                # An additive float mask (not bool) keeps fully padded query rows finite.
                bias = torch.zeros(mask.shape, dtype=q.dtype, device=q.device)
                bias = bias.masked_fill(~mask, torch.finfo(q.dtype).min)
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=dropout_p)
        else:
            # Plain ops: what torch 1.13 runs, and what ONNX export traces (any opset >= 14).
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_dim))
            if mask is None and T > 1:
                mask = causal_mask(T, T, x.device)[None, None]
            if mask is not None:
                # finfo.min instead of -inf: a row with every key masked (left padding)
                # must give a finite softmax, not NaN that spreads through later layers.
                att = att.masked_fill(~mask, torch.finfo(att.dtype).min)
            att = F.softmax(att, dim=-1)
            if dropout_p > 0:
                att = F.dropout(att, p=dropout_p)
            y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y)), present


def causal_mask(query_len, key_len, device):
    """[query_len, key_len] bool, True where a query may attend: queries are the last query_len keys."""
    offset = key_len - query_len
    q_pos = torch.arange(query_len, device=device) + offset
    k_pos = torch.arange(key_len, device=device)
    return k_pos[None, :] <= q_pos[:, None]


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x):
        # GPT-2's "gelu_new" is the tanh approximation.
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x), approximate="tanh")))


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = MLP(config)

    def forward(self, x, past=None, mask=None):
        a, present = self.attn(self.ln_1(x), past, mask)
        x = x + a
        x = x + self.mlp(self.ln_2(x))
        return x, present


class GPT(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config.validate()
        self.transformer = nn.ModuleDict(
            dict(
                wte=nn.Embedding(config.vocab_size, config.n_embd),
                wpe=nn.Embedding(config.block_size, config.n_embd),
                drop=nn.Dropout(config.dropout),
                h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
                ln_f=nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon),
            )
        )
        self.apply(self._init_weights)
        # GPT-2 scales the residual projections by 1/sqrt(2 * n_layer) so the residual
        # stream's variance does not grow with depth.
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module):
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_params(self, non_embedding=False):
        n = sum(p.numel() for p in self.parameters())
        if non_embedding:
            n -= self.transformer.wpe.weight.numel()
        return n

    def forward(self, idx, targets=None, past_key_values=None, attention_mask=None, position_ids=None):
        """Return (logits, loss, presents).

        past_key_values: per layer (key, value), each [B, n_head, past_len, head_dim].
        attention_mask: [B, past_len + T], 1 for real tokens, 0 for padding.
        position_ids: [B, T]; defaults to past_len .. past_len + T - 1.
        """
        B, T = idx.shape
        past_len = 0 if past_key_values is None else past_key_values[0][0].size(2)
        if position_ids is None:
            if past_len + T > self.config.block_size:
                raise ValueError(f"sequence of {past_len + T} tokens exceeds block_size {self.config.block_size}")
            position_ids = torch.arange(past_len, past_len + T, device=idx.device).unsqueeze(0)

        # mask=None tells attention "plain causal, no cache" (or a single query), which
        # lets CUDA use the flash kernel; anything else needs an explicit mask.
        mask = None
        if attention_mask is not None:
            mask = causal_mask(T, past_len + T, idx.device)[None, None] & attention_mask.bool()[:, None, None, :]
        elif past_len > 0 and T > 1:
            mask = causal_mask(T, past_len + T, idx.device)[None, None]

        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(position_ids))
        presents = []
        for i, block in enumerate(self.transformer.h):
            past = None if past_key_values is None else past_key_values[i]
            x, present = block(x, past, mask)
            presents.append(present)
        x = self.transformer.ln_f(x)
        # Tied output layer: a matmul with the embedding's transpose, one copy of the weights.
        logits = x @ self.transformer.wte.weight.t()

        loss = None
        if targets is not None:
            # Autocast already runs cross_entropy in fp32; no explicit upcast copy of the logits.
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.reshape(-1), ignore_index=-1)
        return logits, loss, presents

    def flops_per_token(self, seq_len):
        """nanoGPT's estimate (PaLM appendix B): 6N for the matmuls plus attention's 12*L*H*Q*T."""
        c = self.config
        return 6 * self.num_params(non_embedding=True) + 12 * c.n_layer * c.n_head * (c.n_embd // c.n_head) * seq_len

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None, generator=None):
        """Sample with a KV cache: one full forward for the prompt, then one token per step."""
        if idx.size(1) + max_new_tokens > self.config.block_size:
            raise ValueError(
                f"prompt ({idx.size(1)}) + max_new_tokens ({max_new_tokens}) exceeds block_size {self.config.block_size}"
            )
        past = None
        inp = idx
        for _ in range(max_new_tokens):
            logits, _, past = self(inp, past_key_values=past)
            logits = logits[:, -1, :]
            if temperature <= 0:
                nxt = logits.argmax(dim=-1, keepdim=True)
            else:
                logits = logits / temperature
                if top_k is not None:
                    v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                    logits = logits.masked_fill(logits < v[:, [-1]], float("-inf"))
                nxt = torch.multinomial(F.softmax(logits, dim=-1), num_samples=1, generator=generator)
            idx = torch.cat([idx, nxt], dim=1)
            inp = nxt
        return idx
