#!/usr/bin/env python3
"""Keeps docs/openapi.json true.

  check_openapi.py examples DOC
      The document is well formed (OpenAPI 3.1, every $ref resolves, every
      schema is valid JSON Schema 2020-12, path parameters declared), every
      GET answers 200 with ETag and Cache-Control and documents 304, and every
      example validates against the schema next to it.

  check_openapi.py responses DOC ANSWERS
      ANSWERS is NDJSON, one live answer of a real server per line:
      {"method": "GET", "path": "/api/v1/songs/1/plays", "status": 200, "body": "..."}.
      Each must be documented (path, method, status or `default`) and its
      body must validate against the documented schema; every documented
      operation must be among them.

Exit status 0 when everything holds; 1 with one line per problem otherwise.
Needs python3-jsonschema (Debian) 4.10 or later.
"""
import json
import re
import sys

import jsonschema

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def pointer(*parts):
    """A JSON pointer fragment ('#/a/b~1c') to the given keys."""
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def resolve(doc, ref):
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[part]
    return node


class Checker:
    def __init__(self, doc):
        self.doc = doc
        self.problems = []
        # The document is the root schema, so '#/components/...' refs resolve
        # in every jsonschema version; its other keys are not keywords.
        self.root = {k: v for k, v in doc.items()}
        self.answered = set()  # (path template, method) seen in live answers

    def problem(self, where, text):
        self.problems.append(f"{where}: {text}")

    def validate(self, where, schema_pointer, instance):
        root = dict(self.root, **{"$ref": schema_pointer})
        validator = jsonschema.Draft202012Validator(root)
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.path)):
            at = "/".join(str(p) for p in error.absolute_path)
            self.problem(where, f"at '{at}': {error.message[:300]}")

    def follow(self, node):
        """A response, parameter or header object with its $ref followed."""
        while isinstance(node, dict) and "$ref" in node:
            node = resolve(self.doc, node["$ref"])
        return node

    def operations(self):
        for path, item in self.doc.get("paths", {}).items():
            for method in METHODS:
                if method in item:
                    yield path, method, item[method]

    # --- examples -------------------------------------------------------

    def check_refs(self, node, where):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    resolve(self.doc, ref)
                except (KeyError, IndexError, TypeError):
                    self.problem(where, f"$ref {ref} does not resolve")
            for key, value in node.items():
                self.check_refs(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self.check_refs(value, f"{where}/{i}")

    def check_content_examples(self, where, content, location):
        for media, body in content.items():
            if "schema" not in body:
                continue
            schema_at = pointer(*location, media, "schema")
            examples = []
            if "example" in body:
                examples.append(("example", body["example"]))
            for name, example in body.get("examples", {}).items():
                examples.append((name, self.follow(example).get("value")))
            for name, value in examples:
                self.validate(f"{where} {media} {name}", schema_at, value)

    def check_examples(self):
        if not str(self.doc.get("openapi", "")).startswith("3.1."):
            self.problem("openapi", "must be 3.1.x (schemas are JSON Schema 2020-12)")
        for key in ("info", "paths", "components"):
            if key not in self.doc:
                self.problem(key, "missing")
        self.check_refs(self.doc, "#")
        for name, schema in self.doc.get("components", {}).get("schemas", {}).items():
            try:
                jsonschema.Draft202012Validator.check_schema(schema)
            except jsonschema.SchemaError as e:
                self.problem(f"components/schemas/{name}", e.message)
        for name, response in self.doc.get("components", {}).get("responses", {}).items():
            self.check_content_examples(f"components/responses/{name}", response.get("content", {}),
                                        ["components", "responses", name, "content"])
        for path, method, op in self.operations():
            where = f"{method.upper()} {path}"
            item = self.doc["paths"][path]
            declared = {self.follow(p)["name"] for p in op.get("parameters", []) + item.get("parameters", [])
                        if self.follow(p).get("in") == "path"}
            for name in re.findall(r"\{([^}]+)\}", path):
                if name not in declared:
                    self.problem(where, f"path parameter {{{name}}} is not declared")
            if "operationId" not in op:
                self.problem(where, "no operationId")
            body = op.get("requestBody")
            if body:
                self.check_content_examples(f"{where} request", self.follow(body).get("content", {}),
                                            ["paths", path, method, "requestBody", "content"])
            responses = op.get("responses", {})
            if not responses:
                self.problem(where, "no responses")
            if method == "get":
                ok = self.follow(responses.get("200", {}))
                for header in ("ETag", "Cache-Control"):
                    if header not in ok.get("headers", {}):
                        self.problem(where, f"200 does not document {header}")
                if "304" not in responses:
                    self.problem(where, "304 is not documented")
            for status, response in responses.items():
                if "$ref" in response:
                    continue  # checked once under components/responses
                content = response.get("content", {})
                if status.startswith("2") and content and not any(
                        "example" in c or "examples" in c for c in content.values()):
                    self.problem(f"{where} {status}", "no example")
                self.check_content_examples(f"{where} {status}", content,
                                            ["paths", path, method, "responses", status, "content"])

    # --- live answers ----------------------------------------------------

    def find_operation(self, method, path):
        for template, item in self.doc.get("paths", {}).items():
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path) and method.lower() in item:
                return template, item[method.lower()]
        return None, None

    def check_answer(self, answer):
        method, path, status = answer["method"], answer["path"].split("?")[0], answer["status"]
        where = f"{method} {answer['path']} -> {status}"
        template, op = self.find_operation(method, path)
        if op is not None:
            self.answered.add((template, method.lower()))
        if op is None:
            # Unknown paths and methods are not operations, but still answer
            # the one error shape.
            if status in (404, 405) and path.startswith("/api/v1"):
                self.validate(where, pointer("components", "schemas", "Error"), json.loads(answer["body"]))
            else:
                self.problem(where, "no documented operation")
            return
        responses = op.get("responses", {})
        key = str(status) if str(status) in responses else "default"
        if key not in responses:
            self.problem(where, "status not documented (and no default)")
            return
        response = responses[key]
        location = ["paths", template, method.lower(), "responses", key]
        while "$ref" in response:
            location = response["$ref"][2:].split("/")
            response = resolve(self.doc, response["$ref"])
        content = response.get("content", {})
        if not content:
            if answer["body"]:
                self.problem(where, "documented without a body, but has one")
            return
        media = "application/json"
        if media not in content:
            self.problem(where, f"no {media} content documented")
            return
        try:
            body = json.loads(answer["body"])
        except ValueError as e:
            self.problem(where, f"body is not JSON: {e}")
            return
        location = [p.replace("~1", "/").replace("~0", "~") for p in location]
        self.validate(where, pointer(*location, "content", media, "schema"), body)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("examples", "responses") or (argv[1] == "responses") != (len(argv) == 4):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        checker = Checker(json.load(f))
    if argv[1] == "examples":
        checker.check_examples()
        checked = sum(1 for _ in checker.operations())
    else:
        checked = 0
        with open(argv[3], encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    checker.check_answer(json.loads(line))
                    checked += 1
        for path, method, _ in checker.operations():
            if (path, method) not in checker.answered:
                checker.problem(f"{method.upper()} {path}", "documented, but no live answer was checked")
    for p in checker.problems:
        print(p)
    print(f"{argv[1]}: {checked} checked, {len(checker.problems)} problems")
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
