"""The OpenAPI document: every operation shows an example of its request body (when it has
one) and of its success response, and every JSON example is valid against its schema."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from api.app import create_app
from conftest import make_settings

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = make_settings(tmp_path_factory.mktemp("openapi") / "data")
    return create_app(settings, with_ui=False).openapi()  # no lifespan: nothing is opened


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _examples(spec: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """The examples a media type shows: its own, else its schema's (a model's examples)."""
    if "example" in media:
        return [media["example"]]
    if "examples" in media:
        return [e["value"] for e in media["examples"].values()]
    schema = _resolve(spec, media.get("schema", {}))
    return list(schema.get("examples", []))


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def _check(spec: dict[str, Any], where: str, content: dict[str, Any], missing: list[str]) -> None:
    for media_type, media in content.items():
        examples = _examples(spec, media)
        if not examples:
            missing.append(f"{where} {media_type}")
        elif media_type == "application/json":
            # Examples must be true to the schema, with its references resolved.
            schema = {**media["schema"], "components": spec["components"]}
            for example in examples:
                jsonschema.validate(example, schema)


def test_every_operation_has_examples(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    assert len(operations) >= 24
    missing: list[str] = []
    for name, op in operations:
        if "requestBody" in op:
            _check(spec, f"{name} request", op["requestBody"]["content"], missing)
        success = [s for s in op["responses"] if s.startswith("2")]
        assert success, name
        for status in success:
            content = op["responses"][status].get("content")
            if not content:
                missing.append(f"{name} {status} (no content)")
                continue
            _check(spec, f"{name} {status}", content, missing)
    assert not missing, "\n".join(missing)


def test_a_model_without_examples_is_caught(spec: dict[str, Any]) -> None:
    """The check above can fail: a schema with no example is reported."""
    missing: list[str] = []
    _check(spec, "x", {"application/json": {"schema": {"type": "object"}}}, missing)
    assert missing == ["x application/json"]
    with pytest.raises(jsonschema.ValidationError):
        _check(spec, "x", {"application/json": {"schema": {"type": "integer"}, "example": "a"}}, [])
