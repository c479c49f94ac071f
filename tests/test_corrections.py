"""Documents without a manifest: one DTP id per DTP whatever the ingest order, and a person's
correction (CLI and API) applied at once to passages and records and kept across re-ingests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from conftest import CORPUS, cli, make_settings
from kb.knowledge import KnowledgeBase, build_kb
from kb.settings import Settings

LIVRET = """# Diagnostic territorial partagé en santé mentale du Val-de-Brume

Juin 2022

Le diagnostic territorial partagé en santé mentale du Val-de-Brume décrit les parcours des
personnes vivant avec des troubles psychiques. Le délai d'attente au CMP du Val-de-Brume
atteint six mois ; la psychiatrie de secteur manque de places pour les adolescents.

## Préconisations

Préconisation n°1 : ouvrir une plateforme d'orientation en santé mentale.
Préconisation n°2 : créer une équipe mobile pour les adolescents.
"""
# Named to be ingested before the livret: the DTP it belongs to is not known yet then.
TRACKER = """# Suivi des préconisations — état au 31/12/2023

Le comité de suivi en santé mentale du Val-de-Brume a fait le point sur la psychiatrie.

| N° | Préconisation | Pilote | Statut |
|---|---|---|---|
| 1 | Ouvrir une plateforme d'orientation en santé mentale | DAC du Val-de-Brume | En cours |
| 2 | Créer une équipe mobile pour les adolescents | EPSM du Val-de-Brume | Non engagée |
"""
TRACKER_CSV = CORPUS / "docs" / "sante_mentale" / "SM-2021_suivi_feuille_de_route.csv"


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    from ingest.pipeline import ingest_paths

    docs = tmp_path_factory.mktemp("no-manifest")
    (docs / "a_suivi_preconisations.md").write_text(TRACKER, encoding="utf-8")
    (docs / "livret.md").write_text(LIVRET, encoding="utf-8")
    shutil.copy(TRACKER_CSV, docs / "suivi.csv")  # no manifest beside it here
    settings = make_settings(tmp_path_factory.mktemp("index"))
    report = ingest_paths(build_kb(settings), [docs])
    assert report.count("indexed") == 3, report.results
    return settings, docs


def _by_name(kb: KnowledgeBase) -> dict[str, dict]:
    return {Path(d.source).name: {**d.metadata, "id": d.document_id} for d in kb.documents()}


def test_the_documents_of_one_dtp_share_its_id(indexed: tuple[Settings, Path]) -> None:
    docs = _by_name(build_kb(indexed[0]))
    livret, tracker = docs["livret.md"], docs["a_suivi_preconisations.md"]
    assert livret["dtp_id"] == "SM-val-de-brume-2022"
    assert tracker["dtp_id"] == livret["dtp_id"] and tracker["year"] == 2022
    assert json.loads(tracker["metadata_sources"])["dtp_id"] == "linked"
    assert docs["suivi.csv"]["dtp_id"] == "SM-2021"  # the id its rows print


def test_cli_correction_reaches_passages_and_records(indexed: tuple[Settings, Path]) -> None:
    settings, docs = indexed
    result = cli(
        settings, "documents", "correct", str(docs / "suivi.csv"), "--territory", "Cap-Sénelle"
    )
    assert result.returncode == 0, result.stderr
    assert "Cap-Sénelle" in result.stdout
    kb = build_kb(settings)
    meta = _by_name(kb)["suivi.csv"]
    assert meta["territory"] == "Cap-Sénelle"
    assert json.loads(meta["metadata_sources"])["territory"] == "correction"
    assert meta["metadata_method"] == "inferred+correction"
    hits = kb.search("équipe de psychiatrie périnatale", 5, {"territory": "Cap-Sénelle"})
    assert hits and all(Path(h.chunk.source).name == "suivi.csv" for h in hits)
    records = [r for r in kb.recommendations.all() if r.dtp_id == "SM-2021"]
    assert records and all(r.territory == "Cap-Sénelle" for r in records)
    assert (settings.data_dir / "corrections.json").is_file()


def test_cli_rejects_an_unknown_value_with_a_reason(indexed: tuple[Settings, Path]) -> None:
    settings, docs = indexed
    result = cli(settings, "documents", "correct", str(docs / "livret.md"), "--theme", "meteo")
    assert result.returncode == 1
    assert "theme 'meteo' is unknown" in result.stderr


@pytest.fixture(scope="module")
def client(indexed: tuple[Settings, Path]) -> Iterator[TestClient]:
    from kb.access import AccessStore

    with TestClient(create_app(indexed[0], with_ui=False)) as c:
        key = AccessStore(indexed[0].data_dir).create("tests", "contributeur").key
        c.headers["Authorization"] = f"Bearer {key}"
        yield c


def test_api_correction(indexed: tuple[Settings, Path], client: TestClient) -> None:
    livret = _by_name(build_kb(indexed[0]))["livret.md"]
    response = client.patch(f"/v1/documents/{livret['id']}", json={"year": 2021})
    assert response.status_code == 200, response.text
    meta = response.json()["metadata"]
    assert meta["year"] == 2021
    assert meta["dtp_id"] == "SM-val-de-brume-2021"  # a derived id follows its facets
    bad = client.patch(f"/v1/documents/{livret['id']}", json={"doc_type": "roman"})
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    assert client.patch("/v1/documents/nope", json={"year": 2020}).status_code == 404
    assert client.patch(f"/v1/documents/{livret['id']}", json={"colour": 1}).status_code == 422


def test_corrections_survive_reingest_of_a_moved_or_edited_file(
    indexed: tuple[Settings, Path], client: TestClient
) -> None:
    from ingest.pipeline import ingest_paths

    settings, docs = indexed
    (docs / "archive").mkdir()
    shutil.move(docs / "suivi.csv", docs / "archive" / "suivi.csv")  # same content, new path
    livret = docs / "livret.md"
    livret.write_text(LIVRET + "\nMise à jour : ajout d'un paragraphe.\n", encoding="utf-8")
    kb = build_kb(settings)
    report = ingest_paths(kb, [docs])
    assert not report.failed, report.failed
    metas = _by_name(kb)
    assert metas["suivi.csv"]["territory"] == "Cap-Sénelle"  # kept by content
    assert metas["livret.md"]["year"] == 2021  # kept by path
    assert "Mise à jour" in " ".join(c.text for c in kb.store.iter_chunks())


def test_an_id_that_is_no_path_is_not_found(
    indexed: tuple[Settings, Path], client: TestClient
) -> None:
    """'~someone' cannot be expanded (and a NUL byte cannot be resolved): a 404, not a 500."""
    for key in ("~0", "~nobody-here", "a%00b"):
        response = client.get(f"/v1/documents/{key}")
        assert response.status_code == 404, (key, response.text)
