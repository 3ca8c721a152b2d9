"""Citations that exist: every provision cited in code, translation tables, docs and scenarios is
a row of docs/rules/citations.md, and every row's source text holds it."""

import os
import re
import subprocess

import pytest

from conftest import ROOT

TABLE = os.path.join(ROOT, "docs", "rules", "citations.md")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
ROW = re.compile(r"^\| `([^`]+)` \| (.+?) \| (\S+)(?: §\d+)? \| `(.+)` \|$")

#: A rule id: ``art.28.3``, ``R.siting``, ``ADX.art.9`` (``R.`` + a lower-case name).
RULE_ID = re.compile(r"(?<![\w.])(ADX\.art\.\d+|art\.\d+(?:\.\d+)*|R\.(?:art\.\d+|[a-z][a-z_]*[a-z]))(?![\w])")
#: Prose: "art 28", "arts 28-43", "arts 28, 32, 33", "art 35-2" (article 35 para 2).
PROSE = re.compile(r"\barts? (\d+(?:-\d+)?(?:(?:, | and )\d+(?:-\d+)?)*)\b")
ZH = re.compile(r"第 ?(\d+) ?條")
ADX_NAMES = ("ADX", "air-defense", "air defense", "防空演習")
R_NAMES = ("R ", "R,", "rationing rules", "配給配售辦法", "配售辦法")


def table() -> dict[str, tuple[str, str, str]]:
    rows = {}
    for line in open(TABLE, encoding="utf-8"):
        found = ROW.match(line.strip())
        if found:
            rows[found.group(1)] = (found.group(2), found.group(3), found.group(4))
    return rows


def _files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "tabletop", "docs", "scenarios", "run_exercise.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return [f for f in listed if f.endswith((".py", ".yaml", ".md", ".js", ".html")) and f != "docs/rules/citations.md"]


def _law(before: str) -> str:
    if any(name in before for name in ADX_NAMES):
        return "ADX"
    if "2002 text" in before:
        return "R.2002"
    if any(before.endswith(name) or name in before[-24:] for name in R_NAMES):
        return "R"
    return "Act"


def _articles(spec: str) -> list[int]:
    """'28-43' (a range of articles) or '35-2' (article 35, paragraph 2): the articles named."""
    out = []
    for part in re.split(r", | and ", spec):
        a, _, b = part.partition("-")
        if b and int(b) > int(a):
            out += list(range(int(a), int(b) + 1))
        else:
            out.append(int(a))
    return out


def citations() -> dict[str, set[str]]:
    """Every citation -> the files citing it, as table keys (``Act.art.28``, ``R.siting``...)."""
    found: dict[str, set[str]] = {}
    for path in _files():
        text = open(os.path.join(ROOT, path), encoding="utf-8").read()
        for match in RULE_ID.finditer(text):
            ident = match.group(1)
            key = ident if not ident.startswith("art.") else "Act.art." + ident.split(".")[1]
            found.setdefault(key, set()).add(path)
        for pattern in (PROSE, ZH):
            for match in pattern.finditer(text):
                before = text[max(0, match.start() - 40):match.start()]
                if "Civil Code" in before or "Schedule" in before:
                    continue
                law = _law(before)
                numbers = _articles(match.group(1)) if pattern is PROSE else [int(match.group(1))]
                for number in numbers:
                    found.setdefault(f"{law}.art.{number}", set()).add(path)
    return found


def _flat(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def test_every_citation_is_a_known_provision():
    known = table()
    unknown = {key: sorted(paths) for key, paths in sorted(citations().items()) if key not in known}
    assert not unknown, f"cited but not in docs/rules/citations.md: {unknown}"


def test_every_known_provision_is_held_by_its_source():
    if not os.path.isdir(os.path.join(SHARED, "seeds")):
        pytest.skip("the source texts (../shared) are not on this machine")
    for key, (_, source, evidence) in sorted(table().items()):
        path = os.path.join(SHARED, source)
        assert os.path.isfile(path), (key, source)
        assert _flat(evidence) in _flat(open(path, encoding="utf-8").read()), (key, source, evidence)


def test_an_invented_article_is_caught():
    # "R art 9" is in none of the source texts: the collector reads it as R.art.9, which the table lacks.
    assert "R.art.9" not in table()
    assert _law("rationing rules ") == "R" and _law("under R ") == "R" and _law("防空演習實施辦法") == "ADX"
    assert _law("依全民防衛動員準備法") == "Act" and _articles("28-43")[-1] == 43 and _articles("35-2") == [35]
