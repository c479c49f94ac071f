"""`build_ui(get_kb)`: the French chat for professionals, mounted by the API at /ui.

The UI talks to the knowledge base object only (never to Chroma), through `get_kb`,
so it always uses the instance the server opened.
"""

from __future__ import annotations

import os

# Before gradio is imported: no usage reporting from a public-sector tool.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from collections.abc import Callable  # noqa: E402

import gradio as gr  # noqa: E402

from kb.errors import KBError  # noqa: E402
from kb.knowledge import KnowledgeBase  # noqa: E402
from kb.types import Answer  # noqa: E402

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


def render_answer(answer: Answer) -> str:
    """The answer followed by its sources, as Markdown for the chat."""
    if answer.abstained or not answer.citations:
        return answer.answer
    lines = [answer.answer, "", "**Sources**"]
    for c in answer.citations:
        quote = " ".join(c.quote.split())
        lines.append(f"- [{c.n}] *{c.title}*, page {c.page} — « {quote} »")
    return "\n".join(lines)


def build_ui(get_kb: Callable[[], KnowledgeBase]) -> gr.Blocks:
    def respond(message: str, history: list[dict[str, str]]) -> tuple[str, list[dict[str, str]]]:
        message = (message or "").strip()
        if not message:
            return "", history
        try:
            reply = render_answer(get_kb().ask(message))
        except KBError as exc:
            reply = f"La question n'a pas pu être traitée : {exc}. Réessayez ou reformulez-la."
        history = [
            *history,
            {"role": "user", "content": message},
            {"role": "assistant", "content": reply},
        ]
        return "", history

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"# {TITLE}\n{INTRO}")
        chat = gr.Chatbot(
            label="Conversation",
            height=520,
            elem_id="conversation",
            placeholder="Les réponses apparaîtront ici, avec leurs sources.",
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
        clear = gr.Button("Nouvelle conversation", variant="secondary")

        send.click(respond, [question, chat], [question, chat])
        question.submit(respond, [question, chat], [question, chat])
        clear.click(lambda: ("", []), None, [question, chat])
    return demo
