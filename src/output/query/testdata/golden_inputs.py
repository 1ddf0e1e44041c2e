"""Input documents for generate_golden.py: az-like ARM payloads and small edge-case docs."""

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
REG = SUB + "/providers/Microsoft.ContainerRegistry/registries/myreg"


def token(name, status, created, scope, passwords):
    return {
        "creationDate": created,
        "credentials": {
            "certificates": [],
            "passwords": [
                {"creationTime": created, "expiry": expiry, "name": pw, "value": None}
                for pw, expiry in passwords
            ],
        },
        "id": REG + "/tokens/" + name,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": "rg",
        "scopeMapId": REG + "/scopeMaps/" + scope,
        "status": status,
        "type": "Microsoft.ContainerRegistry/registries/tokens",
    }


TOKENS = [
    token("gamma", "enabled", "2024-03-01T10:00:00.000000+00:00", "_repositories_pull",
          [("password1", "2025-01-01T00:00:00+00:00"), ("password2", None)]),
    token("alpha", "disabled", "2024-01-15T08:30:00.000000+00:00", "_repositories_admin", []),
    token("beta", "enabled", "2024-02-20T12:45:00.000000+00:00", "ci-push",
          [("password2", None)]),
]

SCOPE_MAPS = [
    {
        "actions": ["repositories/hello/content/read", "repositories/hello/metadata/read"],
        "creationDate": "2024-01-01T00:00:00+00:00",
        "description": "Can pull hello",
        "id": REG + "/scopeMaps/hello-pull",
        "name": "hello-pull",
        "provisioningState": "Succeeded",
        "resourceGroup": "rg",
        "type": "Microsoft.ContainerRegistry/registries/scopeMaps",
    },
    {
        "actions": ["repositories/*/content/read", "repositories/*/content/write"],
        "creationDate": "2023-06-01T00:00:00+00:00",
        "description": None,
        "id": REG + "/scopeMaps/_repositories_push",
        "name": "_repositories_push",
        "provisioningState": "Succeeded",
        "resourceGroup": "rg",
        "type": "Microsoft.ContainerRegistry/registries/scopeMaps",
    },
]

CREDENTIALS = {
    "passwords": [
        {"creationTime": "2024-05-01T00:00:00+00:00", "expiry": None, "name": "password1",
         "value": "s3cr3t/One+=="},
        {"creationTime": "2024-05-01T00:00:00+00:00", "expiry": "2025-05-01T00:00:00+00:00",
         "name": "password2", "value": "s3cr3tTwo"},
    ],
    "username": "ci-token",
}

MANIFESTS = {
    "manifests": [
        {"digest": "sha256:bbb", "tags": ["v1.2", "latest"], "createdTime": "2024-02-01",
         "changeableAttributes": {"deleteEnabled": True, "writeEnabled": True}},
        {"digest": "sha256:aaa", "tags": ["v1.0"], "createdTime": "2024-01-01",
         "changeableAttributes": {"deleteEnabled": False, "writeEnabled": True}},
        {"digest": "sha256:ccc", "tags": [], "createdTime": "2024-03-01",
         "changeableAttributes": {"deleteEnabled": True, "writeEnabled": False}},
    ],
    "registry": "myreg.azurecr.io",
    "imageName": "hello",
}

UNSORTED = {"zeta": 1, "alpha": 2.5, "mid": {"y": 1, "x": 2}, "list": [3, 1, 2]}
NUMBERS = {"ints": [1, 2, 3], "floats": [1.5, 2.5], "mixed": [1, 2.0, 3], "empty": [],
           "neg": -7, "negf": -7.25, "zero": 0, "big": 9007199254740993}
TEXT = {"s": "héllo wörld", "u": "😀x", "q": "it's", "both": "it's \"quoted\"",
        "ctl": "tab\there\nnewline", "names": ["b", "B", "a", "é", "Z"]}

DOCS = {"tokens": TOKENS, "scopemaps": SCOPE_MAPS, "creds": CREDENTIALS, "manifests": MANIFESTS,
        "unsorted": UNSORTED, "numbers": NUMBERS, "text": TEXT, "null": None,
        "repos": ["hello-world", "nginx", "alpine"], "ab": {"a": 1, "b": 2},
        "mixed": [1, True, 1.0, "1", 0, False, None]}
