"""Optional language models for generative answers: an OpenAI-compatible server or a local
transformers model (a folder, or a .gguf file), prompted in French to cite [n].

Nothing here runs unless `answer.llm.backend` is set; the extractive answer needs no model.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from kb.errors import ConfigError, ModelError
from kb.settings import LlmSettings
from kb.types import Chunk

log = logging.getLogger(__name__)

SYSTEM = (
    "Tu es l'assistant d'une base documentaire sur les diagnostics territoriaux partagés. "
    "Réponds en français, en quelques phrases courtes, en t'appuyant uniquement sur les "
    "extraits numérotés fournis. Termine chaque phrase par le numéro de l'extrait qui la "
    "justifie, entre crochets, par exemple [1] ou [2][3]. Reprends les chiffres tels qu'ils "
    "sont écrits. N'invente rien : si les extraits ne permettent pas de répondre, écris "
    "seulement « Les documents ne permettent pas de répondre. »"
)


class LLM(Protocol):
    """Streams the text of a chat completion, piece by piece."""

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]: ...

    def describe(self) -> dict[str, str]: ...


def messages_for(
    question: str, passages: Sequence[Chunk], max_chars: int = 1200
) -> list[dict[str, str]]:
    """The French prompt: numbered passages with their source, then the question."""
    blocks = []
    for n, chunk in enumerate(passages, start=1):
        text = " ".join(chunk.text.split())[:max_chars]
        blocks.append(f"[{n}] ({chunk.title}, page {chunk.page})\n{text}")
    user = "Extraits :\n\n" + "\n\n".join(blocks) + f"\n\nQuestion : {question}"
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


class OpenAICompatibleLLM:
    """`/chat/completions` of a vLLM, Ollama, llama.cpp or public-sector LLM API server."""

    def __init__(self, config: LlmSettings) -> None:
        if not config.url:
            raise ConfigError(
                "answer.llm.backend is 'openai' but answer.llm.url is empty; set "
                "DTPKB_ANSWER__LLM__URL to the server's base URL (…/v1)"
            )
        self.config = config

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        import httpx

        c = self.config
        headers = {"Authorization": f"Bearer {c.api_key.get_secret_value()}"} if c.api_key else {}
        body = {
            "model": c.model,
            "messages": messages,
            "stream": True,
            "max_tokens": c.max_tokens,
            "temperature": c.temperature,
        }
        url = c.url.rstrip("/") + "/chat/completions"  # type: ignore[union-attr]
        try:
            with httpx.stream("POST", url, json=body, headers=headers, timeout=c.timeout) as r:
                if r.status_code != 200:
                    r.read()
                    raise ModelError(
                        f"the LLM server at {url} answered {r.status_code}: "
                        f"{r.text[:200]}; check answer.llm.url and model"
                    )
                for line in r.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    piece = _delta(json.loads(data))
                    if piece:
                        yield piece
        except httpx.HTTPError as exc:
            raise ModelError(
                f"cannot reach the LLM server at {url}: {exc}; start it or unset answer.llm.backend"
            ) from exc

    def describe(self) -> dict[str, str]:
        return {"backend": "openai", "url": str(self.config.url), "model": self.config.model}


def _delta(event: dict[str, Any]) -> str:
    choices = event.get("choices") or [{}]
    delta = choices[0].get("delta") or choices[0].get("message") or {}
    return str(delta.get("content") or choices[0].get("text") or "")


class TransformersLLM:
    """A local causal LM loaded by path: a transformers folder, or a .gguf file."""

    def __init__(self, config: LlmSettings) -> None:
        if not config.path:
            raise ConfigError(
                "answer.llm.backend is 'transformers' but answer.llm.path is "
                "empty; set DTPKB_ANSWER__LLM__PATH to a model folder or .gguf"
            )
        path = Path(config.path).expanduser()
        if not path.exists():
            raise ModelError(f"the LLM {path} does not exist; fix answer.llm.path")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        folder, extra = (path.parent, {"gguf_file": path.name}) if path.is_file() else (path, {})
        self.config = config
        self.path = path
        self._lock = threading.Lock()  # one generation at a time on a CPU
        try:
            from transformers import AutoModelForCausalLM, AutoTokenizer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            self.tokenizer: Any = AutoTokenizer.from_pretrained(
                folder, local_files_only=True, **extra
            )
            self.model: Any = AutoModelForCausalLM.from_pretrained(
                folder, local_files_only=True, **extra
            )
        except (OSError, ValueError, ImportError) as exc:
            raise ModelError(
                f"cannot load the LLM {path}: {exc}. A .gguf file needs the "
                "'gguf' and 'accelerate' packages (pip install 'dtp-kb[llm]')"
            ) from exc
        self.model.eval()
        log.info("LLM loaded from %s", path)

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        c = self.config
        sample = c.temperature > 0
        kwargs = dict(
            **inputs,
            streamer=streamer,
            max_new_tokens=c.max_tokens,
            do_sample=sample,
            repetition_penalty=1.15,
            pad_token_id=self.tokenizer.eos_token_id,
        )
        if sample:
            kwargs["temperature"] = c.temperature
        with self._lock:
            worker = threading.Thread(target=self.model.generate, kwargs=kwargs, daemon=True)
            worker.start()
            yield from streamer
            worker.join()

    def describe(self) -> dict[str, str]:
        return {"backend": "transformers", "path": str(self.path)}


def load_llm(config: LlmSettings) -> LLM | None:
    """The configured model, or None for extractive answers only."""
    if config.backend == "openai":
        return OpenAICompatibleLLM(config)
    if config.backend == "transformers":
        return TransformersLLM(config)
    return None
