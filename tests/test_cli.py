"""The command line as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import cli
from kb.settings import Settings

HEAVY = ("torch", "chromadb", "gradio", "sentence_transformers", "transformers", "llama_index")


def test_help_lists_every_command(settings: Settings) -> None:
    result = cli(settings, "--help")
    assert result.returncode == 0
    for command in ("ingest", "search", "ask", "serve", "doctor", "models", "bench"):
        assert command in result.stdout


def test_help_imports_nothing_heavy() -> None:
    # What makes `dtp-kb --help` fast: no model, store or UI library is imported for it.
    code = (
        "import sys; from kb.cli import _register_plugins; _register_plugins(); "
        f"print([m for m in sys.modules if m.split('.')[0] in {HEAVY!r}])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_search_and_ask_json(corpus_settings: Settings) -> None:
    hits = json.loads(cli(corpus_settings, "search", "scolarisation", "--json", "-k", "3").stdout)
    assert len(hits["results"]) == 3
    answer = json.loads(
        cli(corpus_settings, "ask", "Quels besoins de répit pour les aidants ?", "--json").stdout
    )
    assert set(answer) >= {"answer", "citations", "abstained"}


def test_bad_filter_is_a_one_line_error(corpus_settings: Settings) -> None:
    result = cli(corpus_settings, "search", "aidants", "-f", "couleur=bleu")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: unknown filter(s) couleur")
    assert "Traceback" not in result.stderr
