"""`build_ui(get_kb)`: the French chat for professionals, mounted by the API at /ui.

The UI talks to the knowledge base object only (never to Chroma), through `get_kb`,
so it always uses the instance the server opened.
"""

from __future__ import annotations

import os

# Before gradio is imported: no usage reporting from a public-sector tool.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from collections.abc import Callable, Iterator  # noqa: E402
from typing import Any  # noqa: E402

import gradio as gr  # noqa: E402

from kb.answer import Turn  # noqa: E402
from kb.errors import KBError  # noqa: E402
from kb.knowledge import KnowledgeBase  # noqa: E402
from kb.types import Answer  # noqa: E402
from ui.recommendations import recommendation_tabs  # noqa: E402

TITLE = "Base de connaissances des diagnostics territoriaux partagés"
INTRO = (
    "Posez une question sur les besoins, les ressources ou les préconisations des "
    "diagnostics territoriaux partagés (DTP). Chaque réponse cite le document et la page "
    "d'où elle provient ; si les documents ne contiennent pas la réponse, l'assistant le dit."
)
EXAMPLES = [
    "Quelles ruptures de parcours le diagnostic a-t-il relevées ?",
    "Quelles ressources accueillent les adultes sourds avec troubles associés ?",
    "Qui porte les préconisations sur la formation des professionnels ?",
]


def render_answer(answer: Answer, asked: str | None = None) -> str:
    """The answer followed by its sources, as Markdown for the chat."""
    lines = []
    if asked and answer.question and answer.question.strip() != asked.strip():
        lines += [f"*Question comprise : {answer.question}*", ""]
    lines.append(answer.answer)
    if answer.rejected:
        count = len(answer.rejected)
        lines += ["", f"*{count} phrase(s) générée(s) retirée(s) : non étayée(s) par les sources.*"]
    if answer.abstained or not answer.citations:
        return "\n".join(lines)
    lines += ["", "**Sources**"]
    for c in answer.citations:
        quote = " ".join(c.quote.split())
        lines.append(f"- [{c.n}] *{c.title}*, page {c.page} — « {quote} »")
    return "\n".join(lines)


def _text(content: object) -> str:
    """The text of a chat message (a string, or gradio's list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(_text(part) for part in content)
    if isinstance(content, dict):
        return str(content.get("text") or "")
    return ""


def _turns(history: list[dict[str, Any]]) -> list[Turn]:
    return [
        Turn(role=m["role"], content=_text(m.get("content")))
        for m in history
        if m.get("role") in ("user", "assistant")
    ]


def build_ui(get_kb: Callable[[], KnowledgeBase]) -> gr.Blocks:
    def respond(
        message: str, history: list[dict[str, Any]]
    ) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        message = (message or "").strip()
        if not message:
            yield "", history
            return
        turns = _turns(history)
        history = [
            *history,
            {"role": "user", "content": message},
            {"role": "assistant", "content": "…"},
        ]
        yield "", history
        shown: list[str] = []
        try:
            for name, data in get_kb().ask_stream(message, None, turns):
                if name == "sentence":
                    markers = "".join(f"[{n}]" for n in data["citations"])
                    shown.append(f"{data['text']} {markers}".strip())
                    history[-1] = {"role": "assistant", "content": " ".join(shown)}
                elif name == "done":
                    answer = Answer.model_validate(data)
                    history[-1] = {"role": "assistant", "content": render_answer(answer, message)}
                else:
                    continue
                yield "", history
        except KBError as exc:
            reply = f"La question n'a pas pu être traitée : {exc}. Réessayez ou reformulez-la."
            history[-1] = {"role": "assistant", "content": reply}
            yield "", history

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"# {TITLE}\n{INTRO}")
        with gr.Tabs():
            with gr.Tab("Questions", elem_id="tab-chat"):
                chat = gr.Chatbot(
                    label="Conversation",
                    height=520,
                    elem_id="conversation",
                    placeholder="Les réponses apparaîtront ici, avec leurs sources. Les "
                    "questions de suite (« et en 2019 ? ») reprennent la conversation.",
                )
                with gr.Row():
                    question = gr.Textbox(
                        label="Votre question",
                        placeholder="Ex. : " + EXAMPLES[0],
                        scale=5,
                        elem_id="question",
                    )
                    send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="send")
                gr.Examples(EXAMPLES, inputs=question, label="Exemples de questions")
                clear = gr.Button("Nouvelle conversation", variant="secondary", elem_id="clear")

                send.click(respond, [question, chat], [question, chat])
                question.submit(respond, [question, chat], [question, chat])
                clear.click(lambda: ("", []), None, [question, chat])
            recommendation_tabs(demo, get_kb)
    return demo
