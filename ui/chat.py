"""The « Questions » tab: the chat, its facet filters, citations that open the cited page, and
a thumbs up or down (with an optional comment) on each answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from kb.answer import Turn
from kb.domain import profile
from kb.errors import KBError
from kb.knowledge import KnowledgeBase
from kb.types import Answer, Citation, Document
from ui.services import Services

log = logging.getLogger(__name__)

ALL = "Tous"
EXAMPLES = [
    "Quelles ruptures de parcours le diagnostic a-t-il relevées ?",
    "Quelles ressources accueillent les adultes sourds avec troubles associés ?",
    "Qui porte les préconisations sur la formation des professionnels ?",
]
# The facets a question can be narrowed to, with their labels.
FILTERS = {
    "dtp_id": "Diagnostic (DTP)",
    "theme": "Thème",
    "territory": "Territoire",
    "year": "Année",
}


def citation_url(c: Citation) -> str:
    """Where a citation opens: a PDF at its page, any other file's passage in context."""
    if Path(c.source).suffix.lower() == ".pdf":
        return f"/v1/documents/{c.document_id}/file#page={c.page}"
    return f"/v1/documents/{c.document_id}/passages/{c.chunk_id}"


def render_answer(answer: Answer, asked: str | None = None) -> str:
    """The answer followed by its sources, each a link to the cited page, for the chat."""
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
        title = c.title.replace("<", "&lt;")
        link = (
            f'<a href="{citation_url(c)}" target="_blank" rel="noopener" '
            f'class="citation">{title}, page {c.page}</a>'
        )
        lines.append(f"- [{c.n}] {link} — « {quote} »")
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


def facet_choices(docs: list[Document]) -> dict[str, list[tuple[str, str]]]:
    """(label, value) choices of each chat filter, from the indexed documents."""
    themes = {t.value: t.label or t.value for t in profile().themes}
    out: dict[str, list[tuple[str, str]]] = {}
    for facet in FILTERS:
        values = {str(d.metadata[facet]) for d in docs if d.metadata.get(facet) not in (None, "")}
        labels = themes if facet == "theme" else {}
        ordered = sorted(values, reverse=facet == "year")
        out[facet] = [(ALL, ALL), *((labels.get(v, v), v) for v in ordered)]
    return out


def filters_from(values: dict[str, str | None]) -> dict[str, Any] | None:
    """The ask's filters from the dropdowns' values (« Tous » is no filter)."""
    out: dict[str, Any] = {}
    for facet, value in values.items():
        if value and value != ALL:
            out[facet] = int(value) if facet == "year" and str(value).isdigit() else value
    return out or None


def chat_tab(get: Callable[[], Services]) -> list[gr.Dropdown]:
    """Build the tab inside the current gr.Blocks; its filter dropdowns (to refresh them)."""

    def kb() -> KnowledgeBase:
        return get().kb

    def respond(
        message: str,
        history: list[dict[str, Any]],
        asked: list[dict[str, Any] | None],
        *facets: str | None,
    ) -> Iterator[tuple[str, list[dict[str, Any]], list[dict[str, Any] | None]]]:
        message = (message or "").strip()
        if not message:
            yield "", history, asked
            return
        filters = filters_from(dict(zip(FILTERS, facets, strict=True)))
        turns = _turns(history)
        history = [
            *history,
            {"role": "user", "content": message},
            {"role": "assistant", "content": "…"},
        ]
        # One entry per message: what each answer was asked with, for its feedback.
        asked = [*asked, None, None]
        yield "", history, asked
        shown: list[str] = []
        try:
            for name, data in kb().ask_stream(message, filters, turns):
                if name == "sentence":
                    markers = "".join(f"[{n}]" for n in data["citations"])
                    shown.append(f"{data['text']} {markers}".strip())
                    history[-1] = {"role": "assistant", "content": " ".join(shown)}
                elif name == "done":
                    answer = Answer.model_validate(data)
                    history[-1] = {"role": "assistant", "content": render_answer(answer, message)}
                    asked[-1] = {"question": message, "filters": filters, "answer": data}
                else:
                    continue
                yield "", history, asked
        except KBError as exc:
            reply = f"La question n'a pas pu être traitée : {exc}. Réessayez ou reformulez-la."
            history[-1] = {"role": "assistant", "content": reply}
            yield "", history, asked

    def rate(asked: list[dict[str, Any] | None], like: gr.LikeData) -> tuple[Any, ...]:
        index = like.index if isinstance(like.index, int) else like.index[0]
        entry = asked[index] if 0 <= index < len(asked) else None
        if entry is None or like.liked not in (True, False):
            return None, gr.update(visible=False), "", ""
        verdict = "utile 👍" if like.liked else "pas utile 👎"
        note = (
            f"Vous jugez la réponse à « {entry['question']} » **{verdict}**. Ajoutez un "
            "commentaire si vous le souhaitez (ce qui manque, ce qui est faux), puis envoyez."
        )
        pending = {**entry, "rating": 1 if like.liked else -1}
        return pending, gr.update(visible=True), note, ""

    def send_feedback(pending: dict[str, Any] | None, comment: str) -> tuple[Any, ...]:
        if not pending:
            return None, gr.update(visible=False), "", ""
        services = get()
        try:
            answer = pending["answer"]
            services.feedback.add(
                pending["question"],
                answer["answer"],
                answer["citations"],
                pending["rating"],
                comment=comment,
                filters=pending.get("filters"),
            )
        except KBError as exc:
            raise gr.Error(f"Avis non enregistré : {exc}") from None
        done = "Merci : votre avis est enregistré. Il servira à améliorer les réponses."
        return None, gr.update(visible=True), done, ""

    with gr.Row(elem_id="chat-filters"):
        dropdowns = [
            gr.Dropdown(
                choices=[(ALL, ALL)],
                value=ALL,
                label=label,
                elem_id=f"filter-{facet}",
                allow_custom_value=False,
                scale=1,
            )
            for facet, label in FILTERS.items()
        ]
    chat = gr.Chatbot(
        label="Conversation",
        height=520,
        elem_id="conversation",
        placeholder="Les réponses apparaîtront ici, avec leurs sources : cliquez sur une source "
        "pour ouvrir le document à la page citée. Les questions de suite (« et en 2019 ? ») "
        "reprennent la conversation.",
        feedback_options=("Like", "Dislike"),
    )
    with gr.Row():
        question = gr.Textbox(
            label="Votre question",
            placeholder="Ex. : " + EXAMPLES[0],
            scale=5,
            elem_id="question",
        )
        send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="send")
    with gr.Column(visible=False, elem_id="feedback") as feedback_box:
        feedback_note = gr.Markdown(elem_id="feedback-note")
        comment = gr.Textbox(label="Commentaire (facultatif)", lines=2, elem_id="feedback-comment")
        send_avis = gr.Button("Envoyer mon avis", variant="secondary", elem_id="feedback-send")
    gr.Examples(EXAMPLES, inputs=question, label="Exemples de questions")
    clear = gr.Button("Nouvelle conversation", variant="secondary", elem_id="clear")

    asked = gr.State([])
    pending = gr.State(None)
    inputs = [question, chat, asked, *dropdowns]
    send.click(respond, inputs, [question, chat, asked])
    question.submit(respond, inputs, [question, chat, asked])
    clear.click(lambda: ("", [], []), None, [question, chat, asked])
    chat.like(rate, [asked], [pending, feedback_box, feedback_note, comment])
    send_avis.click(
        send_feedback, [pending, comment], [pending, feedback_box, feedback_note, comment]
    )
    return dropdowns


def refresh_filters(get: Callable[[], Services], *current: str | None) -> list[Any]:
    """The filter dropdowns with the facets of the documents indexed now."""
    choices = facet_choices(get().kb.documents())
    out = []
    for facet, value in zip(FILTERS, current, strict=True):
        values = [v for _, v in choices[facet]]
        out.append(gr.update(choices=choices[facet], value=value if value in values else ALL))
    return out
