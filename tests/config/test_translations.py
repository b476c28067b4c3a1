"""Simplified Chinese is complete: every catalogue entry translated, compiled, and in step with the code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ["config", "events", "ticketing", "registration", "tourism"]


def catalogues() -> list[Path]:
    return sorted(
        # `**/locale`: an app inside an app (tourism/exchange) has a catalogue of its own.
        p
        for target in TARGETS
        for p in (ROOT / target).glob("**/locale/zh_Hans/LC_MESSAGES/*.po")
    )


def test_every_app_with_strings_has_a_chinese_catalogue():
    found = {path.relative_to(ROOT).parts[0] for path in catalogues()}
    assert {"config", "events", "tourism"} <= found


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {po_path}"
    assert fuzzy == [], f"fuzzy in {po_path}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"compile {po_path} (python -m config.messages <app>)"
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.mofile(str(mo_path))
    }
    for entry in po.translated_entries():
        assert (entry.msgctxt, entry.msgid) in compiled, f"{mo_path} is stale: recompile it"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
@pytest.mark.parametrize("target", TARGETS)
def test_catalogue_is_in_step_with_the_code(tmp_path, target):
    if not (ROOT / target / "locale").exists():
        pytest.skip(f"{target} has no translatable strings yet")
    copy = tmp_path / "repo"
    for name in [*TARGETS, "manage.py"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "config.messages", target], cwd=copy, check=True, capture_output=True
    )
    for fresh_path in (copy / target).glob("**/locale/zh_Hans/LC_MESSAGES/*.po"):
        committed = polib.pofile(str(ROOT / fresh_path.relative_to(copy)))
        fresh = polib.pofile(str(fresh_path))
        missing = {e.msgid for e in fresh} - {e.msgid for e in committed}
        assert not missing, (
            f"strings missing from {target}'s catalogue; run python -m config.messages {target}"
        )


# Placeholders (%(name)s, %s, {name}), URLs, clock times and the time in a Django date format
# ("n月j日 H:i") may keep their ASCII colons.
_COLON_EXEMPT = re.compile(
    r"%\([^)]*\)[a-z]|%[a-z]|\{[^}]*\}|[a-z][a-z0-9+.-]*://\S+|\b\d{1,2}:\d{2}\b|\b[HG]:i(:s)?\b", re.I
)
# Words a native reader would not use in this product, with what to say instead.
# One word for one thing across every app: 您 throughout (a service addresses its users formally),
# 主办方 for an organiser, 代表团 for a delegation (a team is 队伍).
_BANNED_WORDS = {"会话": "场次", "过滤器": "筛选", "你": "您", "组委会": "主办方", "代表队": "代表团"}
# 注意 for a note reads as "watch out"; 注意事项 (points to heed) is fine.
_NOTE = re.compile(r"注意(?!事项)")


def _msgstrs(entry: polib.POEntry) -> list[str]:
    return [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())


def _wording_problems(text: str) -> list[str]:
    problems = []
    stripped = _COLON_EXEMPT.sub("", text)
    if "::" in stripped or "：：" in stripped or "：:" in stripped or ":：" in stripped:
        problems.append("doubled colon")
    elif ":" in stripped:
        problems.append("ASCII colon (use ：)")
    for word, instead in _BANNED_WORDS.items():
        if word in text:
            problems.append(f"{word} (use {instead})")
    if _NOTE.search(text):
        problems.append("注意 (use 备注 for a note)")
    return problems


def test_wording_rules_catch_what_they_should():
    assert _wording_problems("合计: %(total)s") == ["ASCII colon (use ：)"]
    assert _wording_problems("姓名：：") == ["doubled colon"]
    assert _wording_problems("会话") == ["会话 (use 场次)"]
    assert _wording_problems("注意") == ["注意 (use 备注 for a note)"]
    assert _wording_problems("你已加入代表队") == ["你 (use 您)", "代表队 (use 代表团)"]
    assert _wording_problems("组委会已批准") == ["组委会 (use 主办方)"]
    assert _wording_problems("%(start)s，08:30 开门，见 https://example.com/a") == []
    assert _wording_problems("合计：%(total)s") == []
    assert _wording_problems("n月j日 H:i") == []  # a date format: the colon is the clock's


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_chinese_reads_like_chinese(po_path):
    """Full-width colons, no doubled colons, 场次 / 筛选 / 备注 rather than 会话 / 过滤器 / 注意, and
    one word for one thing (您, 主办方, 代表团)."""
    po = polib.pofile(str(po_path))
    offenders = [
        f"{entry.msgid!r} -> {text!r}: {', '.join(problems)}"
        for entry in po.translated_entries()
        for text in _msgstrs(entry)
        if (problems := _wording_problems(text))
    ]
    assert offenders == [], "\n".join(offenders)


def templates() -> list[Path]:
    return sorted(
        path
        for target in TARGETS
        for pattern in ("*.html", "*.txt")
        for path in (ROOT / target / "templates").rglob(pattern)
    )


_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_COLON_AFTER_TRANSLATION = re.compile(r"\{%\s*(?:translate|trans)\s[^%]*%\}\s*[:：]")


def test_templates_leave_words_and_punctuation_to_the_catalogues():
    """A colon typed after `{% translate %}` reads "合计: " in Chinese or "Total：" in English, and
    Chinese typed into a template never reaches an English reader: both belong in the msgid."""
    offenders = []
    for path in templates():
        source = path.read_text(encoding="utf-8")
        if _COLON_AFTER_TRANSLATION.search(source):
            offenders.append(f"{path.relative_to(ROOT)}: colon after a translated string")
        if match := _CJK.search(_TAG.sub("", source)):
            offenders.append(f"{path.relative_to(ROOT)}: Chinese outside gettext ({match.group()!r})")
    assert offenders == [], "\n".join(offenders)


def test_each_catalogue_wins_at_run_time():
    """Django merges every catalogue into one (LOCALE_PATHS in order, the first one wins): an English
    text two apps translate differently shows the first app's Chinese on the other's pages (a free
    ticket read 空闲, "vacant", from the court planner's "Free"). Where the meanings differ, the
    later app's text needs a context (pgettext, `{% translate "..." context "..." %}`); where they
    are the same, one translation."""
    from django.utils import translation

    losers = []
    with translation.override("zh-hans"):
        for po_path in catalogues():
            if po_path.name != "django.po":
                continue
            for entry in polib.pofile(str(po_path)).translated_entries():
                if entry.msgid_plural:
                    shown = (
                        translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                        if entry.msgctxt
                        else translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                    )
                    wanted = entry.msgstr_plural[0]
                else:
                    shown = (
                        translation.pgettext(entry.msgctxt, entry.msgid)
                        if entry.msgctxt
                        else translation.gettext(entry.msgid)
                    )
                    wanted = entry.msgstr
                if shown != wanted:
                    where = str(po_path.relative_to(ROOT)).split("/locale")[0]
                    losers.append(
                        f"{where}:{entry.linenum} {entry.msgid!r}: shows {shown!r}, wants {wanted!r}"
                    )
    assert losers == [], f"{len(losers)} entries lose to another catalogue:\n" + "\n".join(losers)


def test_no_text_is_translated_at_import_time():
    """gettext (not gettext_lazy) at module or class level runs once, at import, in whatever language
    is active then: the roster import form showed its Chinese labels to English readers."""
    import ast

    eager_names = {"gettext", "pgettext", "ngettext", "npgettext"}
    offenders = []
    for target in TARGETS:
        for path in (ROOT / target).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            eager = {
                alias.asname or alias.name
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
                for alias in node.names
                if alias.name in eager_names
            }
            stack = [(node, False) for node in ast.iter_child_nodes(tree)]
            while stack:
                node, in_function = stack.pop()
                if not in_function and isinstance(node, ast.Call) and getattr(node.func, "id", None) in eager:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                stack.extend((child, inside) for child in ast.iter_child_nodes(node))
    assert offenders == [], "use gettext_lazy outside functions:\n" + "\n".join(sorted(offenders))
