"""Input documents for the golden tests (see generate.py). Each case: name, doc, and
optionally query (is_query_active), multiselect (per-row OrderedDict flags for TSV) and
transformer ("token", "credential" or "scope_map")."""

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myrg"
REG = SUB + "/providers/Microsoft.ContainerRegistry/registries/myregistry"
SYSTEM_DATA = {
    "createdAt": "2024-01-01T00:00:00+00:00",
    "createdBy": "user@example.com",
    "createdByType": "User",
    "lastModifiedAt": "2024-01-01T00:00:00+00:00",
    "lastModifiedBy": "user@example.com",
    "lastModifiedByType": "User",
}


def token(name, passwords=None, created="2026-11-23T19:08:52.123456+00:00", status="enabled",
          credentials="show"):
    if credentials == "show":
        creds = {"certificates": None, "passwords": passwords if passwords is not None else []}
    elif credentials == "generated":
        creds = {"passwords": passwords, "username": name}
    else:
        creds = credentials
    return {
        "creationDate": created,
        "credentials": creds,
        "id": REG + "/tokens/" + name,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": "myrg",
        "scopeMapId": REG + "/scopeMaps/" + name + "-scope-map",
        "status": status,
        "systemData": SYSTEM_DATA,
        "type": "Microsoft.ContainerRegistry/registries/tokens",
    }


def password(name, value=None, expiry=None, created="2026-11-23T19:09:08.025357+00:00"):
    return {"creationTime": created, "expiry": expiry, "name": name, "value": value}


def scope_map(name, description=None, actions=(), smtype="UserDefined", created="2026-11-23T19:10:25.1+00:00"):
    d = {
        "actions": list(actions),
        "creationDate": created,
        "description": description,
        "id": REG + "/scopeMaps/" + name,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": "myrg",
        "systemData": SYSTEM_DATA,
        "type": "Microsoft.ContainerRegistry/registries/scopeMaps",
    }
    if smtype != "absent":
        d["scopeMapType"] = smtype
    return d


P1 = "SamplePasswd0005+/abcdefghijklmnopqrs"
P2 = "SamplePasswd0006+/abcdefghijklmnopqrs"
LONG_DESC = "A sample scope map with a quite long description that exceeds fifty seven chars"
ADMIN_DESC = "Can perform all read, write and delete operations on the registry"

TOKENS = [
    ("token_show", token("tokdup", [password("password1")])),
    ("token_generated", token("tok9", [password("password1", P1), password("password2", P2, created="2026-11-23T19:09:08.025411+00:00")], credentials="generated")),
    ("token_no_passwords", token("tok2", [])),
    ("token_list", [
        token("tok1", created="2026-11-23T19:08:52.5+00:00"),
        token("tok11", [password("password1", expiry="2026-11-25T19:09:37.419117+00:00"), password("password2")],
              created="2026-11-23T19:09:31Z"),
    ]),
    ("token_disabled_offsets", [
        token("tok3", [password("password2", expiry="2030-06-30T12:00:00.1234567-07:00")], status="disabled",
              created="2026-11-23T23:59:59.9999999+05:30"),
        token("tok4", [password("Password1", expiry="not a date")], status="DISABLED", created=None),
        token("tok5", [password("password3", expiry="2030-01-01T00:00:00Z")], credentials=None, created="2024-02-30T00:00:00Z"),
    ]),
    ("token_value_wrapper", {"value": [token("tok6"), token("tok7", [password("password1")])], "nextLink": None}),
    ("token_odd_shapes", [{}, {"name": 5, "status": False, "scopeMapId": "", "credentials": {"passwords": "ab"}},
                          {"name": ["a", {"b": None}], "scopeMapId": "no-slash", "status": "they're ok"}]),
    ("token_number", 5),
    ("token_list_with_value_string", ["value", {"name": "x"}]),
    ("token_plain_string", "no v-a-l-u-e here"),
]

CREDENTIALS = [
    ("credential_both", {"passwords": [password("password1", "SamplePasswd0010+/abcdefghijklmnopqrs"),
                                       password("password2", "SamplePasswd0011+/abcdefghijklmnopqrs")], "username": "tok11"}),
    ("credential_password2", {"passwords": [password("password2", "SamplePasswd0009+/abcdefghijklmnopqrs",
                                                     expiry="2030-06-30T12:00:00+00:00", created="2026-11-23T19:09:32.995297+00:00")],
                              "username": "tok11"}),
    ("credential_reversed_and_dup", {"passwords": [password("password2", "b"), password("password1", "a", expiry="2026-11-25T19:09:37Z"),
                                                   {"name": "password2", "value": "c"}], "username": "tok11"}),
    ("credential_no_expiry_key", {"passwords": [{"creationTime": "2021-12-30T21:12:43.787468+00:00", "name": "password1", "value": "v"}],
                                  "username": "acr-token"}),
    ("credential_empty", {"passwords": [], "username": None}),
]

SCOPE_MAPS = [
    ("scope_map_show", scope_map("sm1", LONG_DESC, ["repositories/hello-world/content/read", "repositories/hello-world/metadata/read",
                                                    "repositories/alpine/content/write", "gateway/gw1/config/read"])),
    ("scope_map_again", scope_map("sm1", "again", ["repositories/a/content/read"])),
    ("scope_map_no_description", scope_map("sm2", None, [])),
    ("scope_map_list", [
        scope_map("_repositories_admin", ADMIN_DESC, ["repositories/*/content/read"], "SystemDefined", "2026-11-23T19:00:00+00:00"),
        scope_map("tok1-scope-map", "Created by token: tok1", [], created="2026-11-23T19:08:48.1+00:00"),
        scope_map("sm1", "again", []),
        scope_map("sm2", None, [], created="2026-11-23T19:10:26.748799+00:00"),
    ]),
    ("scope_map_list_az", [scope_map("tok1-scope-map", "Created by token: tok1", [], "absent"),
                           scope_map("sm2", None, [], "absent", "2026-11-23T19:10:26.748799+00:00")]),
    ("scope_map_exactly_57", [scope_map("sm57", "x" * 57), scope_map("sm58", "y" * 58), scope_map("smu", "\u00e9" * 60, smtype=None)]),
]

REPO_SHOW = {
    "changeableAttributes": {"deleteEnabled": True, "listEnabled": True, "readEnabled": True, "writeEnabled": True},
    "createdTime": "2024-01-01T00:00:00.0000000Z",
    "imageName": "hello-world",
    "lastUpdateTime": "2024-01-02T00:00:00.0000000Z",
    "manifestCount": 2,
    "registry": "myregistry.azurecr.io",
    "tagCount": 3,
}
ATTRS = {"deleteEnabled": True, "listEnabled": True, "readEnabled": True, "writeEnabled": True}


def tag(name, digest, t):
    return {"changeableAttributes": ATTRS, "createdTime": t, "digest": digest, "lastUpdateTime": t, "name": name,
            "signed": False, "quarantineState": None}


REPOSITORIES = [
    ("repo_list", ["alpine", "hello-world", "nginx/web"]),
    ("repo_show", REPO_SHOW),
    ("repo_show_tags", ["latest", "v1", "v2"]),
    ("repo_show_tags_detail", [tag("latest", "sha256:aaa", "2024-01-03T10:00:00.1234567Z"), tag("v1", "sha256:aaa", "2024-01-01T10:00:00Z"),
                               tag("v2", "sha256:bbb", "2024-02-01T10:00:00Z")]),
    ("repo_show_manifests", [{"digest": "sha256:aaa", "tags": ["latest", "v1"], "timestamp": "2024-01-01T10:00:00.1234567Z"},
                             {"digest": "sha256:bbb", "tags": ["v2"], "timestamp": "2024-02-01T10:00:00Z"}]),
    ("repo_show_manifests_detail", [{"digest": "sha256:aaa", "imageSize": 1024, "createdTime": "2024-01-01T10:00:00Z",
                                     "lastUpdateTime": "2024-01-01T10:00:00Z", "architecture": "amd64", "os": "linux",
                                     "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                                     "configMediaType": "application/vnd.docker.container.image.v1+json",
                                     "tags": ["latest"], "changeableAttributes": ATTRS, "quarantineDetails": "{}",
                                     "references": [{"digest": "sha256:c", "os": "linux"}]}]),
    ("repo_attrs_query", ATTRS),
    ("repo_read_enabled_query", True),
    ("repo_name_query", "latest"),
    ("repo_delete", {"manifestsDeleted": [], "tagsDeleted": []}),
    ("repo_delete_some", {"manifestsDeleted": ["sha256:aaa"], "tagsDeleted": ["v1", "latest"]}),
]

QUERIES = [
    ("query_multiselect_list", [{"n": "tok1", "s": "enabled", "p": []}, {"n": "tok11", "s": "enabled", "p": ["password1", "password2"]}],
     {"query": True, "multiselect": [True, True]}),
    ("query_multiselect_za", {"Z": "last", "A": "first", "m": None}, {"query": True, "multiselect": [True]}),
    ("query_multiselect_partial_flags", [{"b": 1, "a": 2}, {"b": 3, "a": 4}, {"b": 5, "a": 6}], {"query": True, "multiselect": [True]}),
    ("query_raw_object_unsorted", [{"zeta": 1, "alpha": 2, "id": "x"}], {"query": True}),
    ("query_null_in_list", [None, "a"], {"query": True}),
]

NUMBERS = {
    "int": 42, "neg": -7, "zero": 0, "big": 18446744073709551615, "min": -9223372036854775808, "i64max": 9223372036854775807,
    "f_two": 2.0, "f_1e16": 1e16, "f_1e15": 1e15, "f_small": 1.5e-05, "f_tenth": 0.1, "f_long": 123456789012345.6,
    "f_neg_zero": -0.0, "f_1e22": 1e22, "f_max": 1.7976931348623157e308, "f_denorm": 5e-324, "f_0001": 0.0001,
    "f_third": 1 / 3, "f_neg": -2.5, "f_1e100": 1e100, "f_1e-100": 1e-100,
}

QUOTING = {
    "plain": "hello world", "yes": "yes", "No": "No", "on": "on", "OFF": "OFF", "true": "true", "null": "null", "Null": "Null",
    "tilde": "~", "empty": "", "hex": "0x1F", "octal": "017", "eight": "08", "underscore_int": "1_000", "sexagesimal": "1:30",
    "sexagesimal_float": "1:30.5", "dot5": ".5", "e3": "1e3", "e_plus": "1.5e+3", "e_no_sign": "1.5e3", "inf": ".inf",
    "neg_inf": "-.Inf", "nan": ".NaN", "date": "2024-01-01", "datetime": "2024-05-01T10:20:30+00:00",
    "datetime_space": "2024-05-01 10:20:30.5 -5", "datetime_z7": "2024-01-01T00:00:00.0000000Z", "merge": "<<", "eq": "=",
    "bang": "!", "amp": "&x", "star": "*", "dash": "-", "dash_space": "- item", "dash_word": "-word", "question": "?",
    "question_space": "? x", "colon": ":", "colon_end": "key:", "colon_space": "a: b", "colon_inside": "a:b", "hash": "#c",
    "space_hash": "a #b", "hash_inside": "a#b", "lead_space": " x", "trail_space": "x ", "only_space": " ", "tab": "a\tb",
    "cr": "a\rb", "nl": "a\nb", "nl_trail": "ab\n", "nl_lead": "\nab", "nl_double": "a\n\nb", "space_nl": "a \nb",
    "nl_space": "a\n b", "quote_single": "it's", "quote_double": "say \"hi\"", "backslash": "a\\b", "percent": "%x",
    "at": "@x", "backtick": "`x", "pipe": "|x", "gt": ">x", "brackets": "[a]", "braces": "{a}", "comma": "a,b",
    "comma_lead": ",a", "doc_start": "---", "doc_end": "...", "doc_start_text": "--- x", "bom": "\ufeffx", "nul": "a\x00b",
    "bell": "\x07", "esc": "\x1b[31mred\x1b[0m", "del": "a\x7fb", "nel": "a\x85b", "ls": "a\u2028b", "ps": "a\u2029b",
    "nbsp": "a\xa0b", "c1": "a\x9bb", "astral": "\U0001f600", "astral_with_tab": "\U0001f600\t", "private": "\ue000",
    "nonchar": "\uffff", "max_cp": "\U0010ffff", "surrogate_range_end": "\ud7ff", "cjk": "\u6f22\u5b57", "combining": "e\u0301",
    "url": "https://example.com/a?b=c#d", "version": "1.2.3", "ipv4": "10.0.0.1", "digest": "sha256:abc", "int_str": "123",
    "float_str": "1.5", "neg_int_str": "-1", "plus": "+1", "bool_upper": "TRUE", "y": "y", "n": "n",
}

LONG = "word " * 30
LONG_NOSPACE = "x" * 120
MULTILINE = "line one\nline two is a bit longer\n\n  indented third\nlast"


def deep(level):
    if level == 0:
        return {"leaf": LONG.strip(), "quoted": "it's " + LONG.strip(), "empty": [], "tab": "\t" + LONG.strip()}
    return {"k%d" % level: deep(level - 1)} if level % 2 else [deep(level - 1), "x"]


DEEP = deep(45)

STRINGS = [
    ("yaml_quoting_styles", QUOTING),
    ("yaml_quoting_list", list(QUOTING.values())),
    ("long_strings", {
        "a_spaces": LONG.strip(), "b_nospace": LONG_NOSPACE, "c_single_quoted_long": "'" + LONG.strip(),
        "d_double_quoted_long": "\t" + LONG.strip(), "e_double_nospace": "\t" + LONG_NOSPACE,
        "f_trailing_space_long": LONG, "g_double_spaces": "ab  " * 30, "h_escapes_long": "\x01 " * 50,
        "i_id": REG + "/scopeMaps/" + "a-very-long-scope-map-name" * 3, "j_nested": {"k": {"l": LONG.strip()}},
        "k_list": [LONG.strip(), [LONG.strip()]], "l_unicode": "\u6f22\u5b57 " * 40, "m_astral_double": "\U0001f600 \t" * 30,
        "n_space_runs": "a" * 79 + "  b " + "c" * 10, "o_colon_fold": "key: " * 20,
    }),
    ("long_top_level_plain", LONG.strip()),
    ("long_top_level_single", "- " + LONG.strip()),
    ("long_top_level_double", "\t" + LONG.strip()),
    ("multiline_strings", {"a": MULTILINE, "b": [MULTILINE], "c": "trailing\n", "d": "\n", "e": "a\r\nb", "f": " lead\nx"}),
    ("multiline_top_level", MULTILINE),
    ("unicode", {"cjk": "\u6f22\u5b57\u30c6\u30b9\u30c8", "emoji": "\U0001f680 rocket", "combining": "cafe\u0301", "\u952e": "\u503c",
                 "rtl": "\u05e9\u05dc\u05d5\u05dd", "mixed": "a\u00e9\u6f22\U0001f600"}),
    ("unicode_rows", [{"name": "\u6f22\u5b57", "v": "\U0001f600"}, {"name": "cafe\u0301", "v": "x"}]),
]

KEYS = [
    ("keys_lengths", {"k" * 122: 1, "j" * 123: 2, "": "empty key", "multi\nline": "v", "tab\tkey": "v", "yes": "no", "- dash": 1,
                      "a: b": 2, "#": 3, "123": 4, "\U0001f600": 5}),
    ("keys_sorting", {"b": 1, "B": 2, "a": 3, "_": 4, "\u00e9": 5, "Z": 6, "10": 7, "9": 8, "\U0001f600": 9, "\uffff": 10}),
]

STRUCTURES = [
    ("empty_list", []),
    ("empty_object", {}),
    ("nested_empty", {"a": [], "b": {}, "c": [[], {}], "d": [{"x": []}]}),
    ("null_heavy", {"a": None, "b": None, "c": {"d": None}, "e": [None, None], "id": None}),
    ("null_free", {"name": "n", "count": 3, "ok": True, "ratio": 0.5}),
    ("booleans_nested", {"t": True, "f": False, "list": [True, False], "obj": {"x": False}}),
    ("top_true", True),
    ("top_false", False),
    ("top_int", 7),
    ("top_float", 2.5),
    ("top_null", None),
    ("top_empty_string", ""),
    ("top_string_yes", "yes"),
    ("numbers", NUMBERS),
    ("numbers_list", list(NUMBERS.values())),
    ("nested_lists", [[1, [2, [3, []]]], [], [[]], ["a", {"b": ["c"]}]]),
    ("list_of_lists", [["a", 1, None], ["b", True, [1, 2], {"x": 1}], ["c"]]),
    ("only_skipped_keys", [{"id": "1", "type": "t", "etag": "e"}, {"id": "2", "list": [1], "obj": {}}]),
    ("only_skipped_keys_single", {"id": "1", "type": "t", "etag": "e", "nested": {"a": 1}}),
    ("mixed_rows", [{"b": 1, "a": "x"}, {"c": "new", "a": "y"}, {"id": "skip"}, {"d": None, "e": [1], "f": True}]),
    ("mixed_scalars_and_objects", ["plain", {"a": 1}, 3, None, True, [1, 2]]),
    ("capitalize_collision", [{"name": "lower", "Name": "upper", "\u00dfx": "sharp s", "\u01c6y": "dz"}]),
    ("table_whitespace_cells", [{"a": "  padded  ", "b": "\u3000wide space\u3000", "c": "\x1cfs\x1f"}]),
    ("table_multiline_cells", [{"a": "one\ntwo", "b": "x"}, {"a": "three", "b": "y\r\nz"}, {"a": "p\x0bq", "b": "\n"}]),
    ("table_multiline_header", [{"multi\nline": "v", "k": "w"}]),
    ("table_ansi_cells", [{"a": "\x1b[31mred\x1b[0m", "b": "plain"}, {"a": "longer plain text", "b": "\x1b[1mB\x1b[0m"}]),
    ("table_ansi_multiline", [{"a": "\x1b[31mred\nline\x1b[0m", "b": "x\r\n\x1b[2my"}]),
    ("table_hyperlink", [{"a": "\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\", "b": "z"}]),
    ("table_separator", [{"a": "x", "b": "1"}, {"a": " \x01 ", "b": "2"}, {"a": "y", "b": "\x01"}, {"a": "z", "b": "3"}]),
    ("table_separator_only", [{"a": "\x01"}]),
    ("table_key_empty", {"": ""}),
    ("table_nested_repr", [["str'q", {"k": "v\n", "n": None}, ["a", 1.5, True], "\u00e9\x85"]]),
    ("deep", {"l1": {"l2": {"l3": {"l4": [{"l5": ["deep", {"l6": None}]}]}}}}),
    ("deep_past_width", DEEP),
    ("long_key_long_value", {"q" * 100: LONG.strip(), "r" * 90: {"s" * 85: "a b c", "t": ["x y " * 5, []]},
                             "u" * 100: "'" + LONG.strip(), "v" * 100: "\t" + LONG.strip()}),
]

CASES = []
for name, doc in TOKENS:
    CASES.append({"name": name, "doc": doc, "transformer": "token"})
for name, doc in CREDENTIALS:
    CASES.append({"name": name, "doc": doc, "transformer": "credential"})
for name, doc in SCOPE_MAPS:
    CASES.append({"name": name, "doc": doc, "transformer": "scope_map"})
# The same management shapes without a transformer (-o table after --query is not used,
# but the generic table must still render them).
CASES.append({"name": "token_list_generic", "doc": TOKENS[3][1]})
CASES.append({"name": "scope_map_list_generic_query", "doc": SCOPE_MAPS[3][1], "query": True})
for name, doc in REPOSITORIES + STRINGS + KEYS + STRUCTURES:
    CASES.append({"name": name, "doc": doc})
for name, doc, flags in QUERIES:
    CASES.append({"name": name, "doc": doc, **flags})

# ---- Examples of the behaviour spec (§4, §14), with the exact text it shows. ----
# "spec" holds literal outputs; generate.py checks them against knack and the Rust golden
# test against the port.
TOK11_PASSWORDS = [password("password2", created="2026-11-23T19:09:36.141755+00:00"),
                   password("password1", expiry="2026-11-25T19:09:37.419117+00:00", created="2026-11-23T19:09:37.424120+00:00")]
TOK11 = dict(token("tok11", TOK11_PASSWORDS, created="2026-11-23T19:09:31.360289+00:00"),
             scopeMapId=REG + "/scopeMaps/tok1-scope-map")
TOK1 = token("tok1", created="2026-11-23T19:08:52.018271+00:00")
TOKEN_HEAD = ("NAME    SCOPE MAP       PASSWORD1 EXPIRY      PASSWORD2 EXPIRY    STATUS    PROVISIONING STATE    CREATION DATE\n"
              "------  --------------  --------------------  ------------------  --------  --------------------  --------------------\n")
TOKEN_HEAD_NARROW = ("NAME    SCOPE MAP       PASSWORD1 EXPIRY    PASSWORD2 EXPIRY    STATUS    PROVISIONING STATE    CREATION DATE\n"
                     "------  --------------  ------------------  ------------------  --------  --------------------  --------------------\n")
SM_ROW = "{}\u2192" + "2026-11-23T19:10:26.748799+00:00\u2192None\u2192" + REG + "/scopeMaps/sm2\u2192sm2\u2192Succeeded\u2192myrg\u2192{}\u2192Microsoft.ContainerRegistry/registries/scopeMaps\n"
ADMIN = scope_map("_repositories_admin", ADMIN_DESC, ["repositories/*/content/read"], "SystemDefined", "2026-11-23T19:00:00+00:00")
SM_LIST = [scope_map("tok1-scope-map", "Created by token: tok1", [], created="2026-11-23T19:08:48.1+00:00"),
           scope_map("sm1", "again", []), scope_map("sm2", None, [], created="2026-11-23T19:10:26.748799+00:00")]


def no_type(sm):
    return {k: v for k, v in sm.items() if k != "scopeMapType"}


SPEC_CASES = [
    ("spec_4_4_token_list", [TOK1, TOK11], {"transformer": "token"}, {"table": TOKEN_HEAD +
        "tok1    tok1-scope-map                                            Enabled   Succeeded             2026-11-23T19:08:52Z\n"
        "tok11   tok1-scope-map  2026-11-25T19:09:37Z  Never               Enabled   Succeeded             2026-11-23T19:09:31Z\n"}),
    ("spec_14_1_token_show_tok11", TOK11, {"transformer": "token"}, {"table": TOKEN_HEAD +
        "tok11   tok1-scope-map  2026-11-25T19:09:37Z  Never               Enabled   Succeeded             2026-11-23T19:09:31Z\n"}),
    ("spec_14_1_token_create_tok1", dict(token("tok1", [password("password1", P1), password("password2", P2)], credentials="generated",
                                               created="2026-11-23T19:08:48.5+00:00")), {"transformer": "token"}, {"table":
        TOKEN_HEAD_NARROW +
        "tok1    tok1-scope-map  Never               Never               Enabled   Succeeded             2026-11-23T19:08:48Z\n"}),
    ("spec_14_1_credential_delete", dict(token("tok11", [password("password2")], created="2026-11-23T19:09:31.360289+00:00"),
                                         scopeMapId=REG + "/scopeMaps/tok2-scope-map"), {"transformer": "token"}, {"table": TOKEN_HEAD_NARROW +
        "tok11   tok2-scope-map                      Never               Enabled   Succeeded             2026-11-23T19:09:31Z\n"}),
    ("spec_14_1_token_query", [{"n": "tok1", "s": "enabled", "p": []}, {"n": "tok11", "s": "enabled", "p": ["password2", "password1"]}],
     {"query": True, "multiselect": [True, True]},
     {"table": "N      S\n-----  -------\ntok1   enabled\ntok11  enabled\n", "tsv": "tok1\tenabled\t0\ntok11\tenabled\t2\n"}),
    ("spec_14_1_token_create_tsv", dict(token("tok3", [], created="2026-11-23T19:08:50.924047+00:00"), credentials={"passwords": [], "username": "tok3"}),
     {}, {"tsv": "2026-11-23T19:08:50.924047+00:00\t\t" + REG + "/tokens/tok3\ttok3\tSucceeded\tmyrg\t" + REG +
          "/scopeMaps/tok3-scope-map\tenabled\t\tMicrosoft.ContainerRegistry/registries/tokens\n"}),
    ("spec_14_1_credential_table", CREDENTIALS[0][1], {"transformer": "credential"}, {"table":
        "USERNAME    PASSWORD1                              PASSWORD1 EXPIRY    PASSWORD2                              PASSWORD2 EXPIRY\n"
        "----------  -------------------------------------  ------------------  -------------------------------------  ------------------\n"
        "tok11       SamplePasswd0010+/abcdefghijklmnopqrs  Never               SamplePasswd0011+/abcdefghijklmnopqrs  Never\n",
        "tsv": "2\ttok11\n"}),
    ("spec_14_1_credential_tokdup", {"passwords": [password("password1", "SamplePasswd0001+/abcdefghijklmnopqrs")], "username": "tokdup"},
     {"transformer": "credential"}, {"table": "USERNAME    PASSWORD1                              PASSWORD1 EXPIRY\n"
                                              "----------  -------------------------------------  ------------------\n"
                                              "tokdup      SamplePasswd0001+/abcdefghijklmnopqrs  Never\n"}),
    ("spec_14_2_scope_map_again_az", no_type(scope_map("sm1", "again", [])), {"transformer": "scope_map"}, {"table":
        "NAME    TYPE    CREATION DATE         DESCRIPTION\n------  ------  --------------------  -------------\nsm1             2026-11-23T19:10:25Z  again\n"}),
    ("spec_14_2_scope_map_again_acr", scope_map("sm1", "again", []), {"transformer": "scope_map"}, {"table":
        "NAME    TYPE         CREATION DATE         DESCRIPTION\n------  -----------  --------------------  -------------\nsm1     UserDefined  2026-11-23T19:10:25Z  again\n"}),
    ("spec_14_2_scope_map_tsv_az", no_type(SM_LIST[2]), {}, {"tsv": SM_ROW.format("0", "").replace("\u2192", "\t")}),
    ("spec_14_2_scope_map_tsv_acr", SM_LIST[2], {}, {"tsv": SM_ROW.format("0", "UserDefined\u2192").replace("\u2192", "\t")}),
    ("spec_14_2_scope_map_list_az", [no_type(s) for s in SM_LIST], {"transformer": "scope_map"}, {"table":
        "NAME            TYPE    CREATION DATE         DESCRIPTION\n"
        "--------------  ------  --------------------  ----------------------\n"
        "tok1-scope-map          2026-11-23T19:08:48Z  Created by token: tok1\n"
        "sm1                     2026-11-23T19:10:25Z  again\n"
        "sm2                     2026-11-23T19:10:26Z\n"}),
    ("spec_14_2_scope_map_list_acr", [ADMIN] + SM_LIST, {"transformer": "scope_map"}, {"table":
        "NAME                 TYPE           CREATION DATE         DESCRIPTION\n"
        "-------------------  -------------  --------------------  ------------------------------------------------------------\n"
        "_repositories_admin  SystemDefined  2026-11-23T19:00:00Z  Can perform all read, write and delete operations on the ...\n"
        "tok1-scope-map       UserDefined    2026-11-23T19:08:48Z  Created by token: tok1\n"
        "sm1                  UserDefined    2026-11-23T19:10:25Z  again\n"
        "sm2                  UserDefined    2026-11-23T19:10:26Z\n"}),
    ("spec_14_3_repo_list", ["alpine", "hello-world", "nginx/web"], {}, {
        "json": '[\n  "alpine",\n  "hello-world",\n  "nginx/web"\n]\n', "table": "Result\n-----------\nalpine\nhello-world\nnginx/web\n"}),
    ("spec_14_3_repo_show", REPO_SHOW, {}, {"table":
        "CreatedTime                   ImageName    LastUpdateTime                ManifestCount    Registry               TagCount\n"
        "----------------------------  -----------  ----------------------------  ---------------  ---------------------  ----------\n"
        "2024-01-01T00:00:00.0000000Z  hello-world  2024-01-02T00:00:00.0000000Z  2                myregistry.azurecr.io  3\n",
        "tsv": "\t2024-01-01T00:00:00.0000000Z\thello-world\t2024-01-02T00:00:00.0000000Z\t2\tmyregistry.azurecr.io\t3\n"}),
    ("spec_14_3_attrs_tsv", ATTRS, {"query": True}, {"tsv": "True\tTrue\tTrue\tTrue\n"}),
    ("spec_14_3_read_enabled_tsv", True, {"query": True}, {"tsv": "true\n"}),
    ("spec_14_3_show_tags_detail", [tag("latest", "sha256:aaa", "2024-01-03T10:00:00.1234567Z"), tag("v1", "sha256:aaa", "2024-01-01T10:00:00Z"),
                                    tag("v2", "sha256:bbb", "2024-02-01T10:00:00Z")], {}, {"table":
        "CreatedTime                   Digest      LastUpdateTime                Name    Signed\n"
        "----------------------------  ----------  ----------------------------  ------  --------\n"
        "2024-01-03T10:00:00.1234567Z  sha256:aaa  2024-01-03T10:00:00.1234567Z  latest  False\n"
        "2024-01-01T10:00:00Z          sha256:aaa  2024-01-01T10:00:00Z          v1      False\n"
        "2024-02-01T10:00:00Z          sha256:bbb  2024-02-01T10:00:00Z          v2      False\n"}),
    ("spec_14_3_show_manifests", REPOSITORIES[4][1], {}, {"table":
        "Digest      Timestamp\n----------  ----------------------------\nsha256:aaa  2024-01-01T10:00:00.1234567Z\nsha256:bbb  2024-02-01T10:00:00Z\n"}),
    ("spec_14_3_delete", {"manifestsDeleted": [], "tagsDeleted": []}, {}, {"json": '{\n  "manifestsDeleted": [],\n  "tagsDeleted": []\n}\n'}),
]
for name, doc, flags, spec in SPEC_CASES:
    CASES.append({"name": name, "doc": doc, **flags, "spec": spec})
