#!/usr/bin/env python3
"""Measures how much of the Universal Feed Parser's test corpus a feed reader gets right.

The corpus (tests/ of github.com/kurtmckee/feedparser, not part of this repository) holds feeds that each carry,
in a comment, an `Expect:` line: a Python expression over what a correct parser extracts. This script runs a
command on every feed of the folders measured, once, and checks the clauses of those expressions that concern
what Opinion Watch keeps of an item:

  rss, atom, atom10, rdf   entries[N]['title' | 'link' | 'id'] and the item's dates ('published', 'updated',
                           'created' and their *_parsed forms); 'expired' is no publication date and is left out
  encoding, chardet        `encoding == 'X'` (the document decodes to the same text as with X) and the entries'
                           'description' or 'summary' (tests/encoding and tests/illformed/chardet)

The command is called as `COMMAND --type feed --file FEED --base-url URL --zone UTC --id fp [--content-type T]` and
must print post/1 lines on standard output and, on standard error, dead-letter/1 lines and a
{"fetched": ..., "decoded": "CHARSET (why)"} line, as `opinion-watch try-source` does.

How a clause is judged, where the project keeps less than feedparser by design:
  title   equal, or equal to the expected value read as HTML (the project keeps titles as plain text)
  id      equal, or equal with the source id and ':' before it (a guid that is no permalink is unique in its feed only)
  dates   the same instant (the project keeps one time per item: its publication, else its last update)
  text    equal to the expected value read as HTML, or the clause holds of the text as a Python expression

Usage: evaluate.py --corpus PATH/TO/feedparser/tests --command "bin/opinion-watch try-source" [--details FILE]
"""
import argparse
import ast
import datetime
import email.utils
import html
import html.parser
import json
import pathlib
import re
import shlex
import subprocess
import sys

FOLDERS = {
    "rss": "wellformed/rss", "atom": "wellformed/atom", "atom10": "wellformed/atom10", "rdf": "wellformed/rdf",
    "encoding": "encoding", "chardet": "illformed/chardet",
}
ENTRY_KEYS = {"title", "link", "id"}
DATE_KEYS = {"published", "updated", "created", "published_parsed", "updated_parsed", "created_parsed"}
TEXT_KEYS = {"description", "summary"}
SOURCE = "fp"


def text_of(data):
    """The file as feedparser's own test harness reads it (tests/helpers.py), for its comments."""
    boms = [(b"\x00\x00\xfe\xff", "utf-32be", 0), (b"\xff\xfe\x00\x00", "utf-32le", 0), (b"\x00\x00\x00\x3c", "utf-32be", 0),
            (b"\x3c\x00\x00\x00", "utf-32le", 0), (b"\x00\x3c\x00\x3f", "utf-16be", 0), (b"\x3c\x00\x3f\x00", "utf-16le", 0)]
    for prefix, codec, skip in boms:
        if data.startswith(prefix):
            return data[skip:].decode(codec, errors="ignore")
    if data[:2] == b"\xfe\xff":
        return data[2:].decode("utf-16be", errors="ignore")
    if data[:2] == b"\xff\xfe":
        return data[2:].decode("utf-16le", errors="ignore")
    return data.decode("utf-8", errors="ignore")


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def plain(value):
    parser = _Text()
    parser.feed(value)
    parser.close()
    return " ".join("".join(parser.parts).split())


def squeeze(value):
    return " ".join((value or "").split())


def entry_ref(node):
    """(index, key) of entries[N]['key'] or entries[N].key, else None."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        inner, key = node.value, node.slice.value
    elif isinstance(node, ast.Attribute):
        inner, key = node.value, node.attr
    else:
        return None
    if (isinstance(inner, ast.Subscript) and isinstance(inner.value, ast.Name) and inner.value.id == "entries"
            and isinstance(inner.slice, ast.Constant) and isinstance(inner.slice.value, int)):
        return inner.slice.value, key
    return None


def clauses(expression):
    tree = ast.parse(expression, mode="eval").body
    if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And):
        return tree.values
    return [tree]


def in_scope(clause, folder):
    """The clause's kind if it is measured in this folder, else None."""
    if folder in ("encoding", "chardet"):
        if any(isinstance(n, ast.Name) and n.id == "encoding" for n in ast.walk(clause)):
            return "charset"
        if any((entry_ref(n) or (None, None))[1] in TEXT_KEYS for n in ast.walk(clause)):
            return "text"
        return None
    if isinstance(clause, ast.Compare):
        keys = {r[1] for r in (entry_ref(n) for n in [clause.left] + clause.comparators) if r}
        if keys and keys <= ENTRY_KEYS | DATE_KEYS:
            return "dates" if keys <= DATE_KEYS else sorted(keys)[0]
    return None


def is_literal(node):
    try:
        ast.literal_eval(node)
        return True
    except ValueError:
        return False


def instant_of(value):
    if isinstance(value, tuple):
        return datetime.datetime(*value[:6], tzinfo=datetime.timezone.utc)
    try:
        return email.utils.parsedate_to_datetime(value).astimezone(datetime.timezone.utc)
    except (TypeError, ValueError):
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def run(command, corpus, path):
    data = path.read_bytes()
    text = text_of(data)
    header = re.search(r"^Header:\s+Content-type:(.*)$", text, re.MULTILINE | re.IGNORECASE)
    url = "http://127.0.0.1:8097/tests/" + path.relative_to(corpus).as_posix()
    args = shlex.split(command) + ["--type", "feed", "--file", str(path), "--base-url", url, "--zone", "UTC", "--id", SOURCE]
    if header:
        args += ["--content-type", header.group(1).strip()]
    done = subprocess.run(args, capture_output=True, timeout=120)
    posts = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines() if line.strip()]
    rejected, charset = set(), None
    for line in done.stderr.decode("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("schema") == "dead-letter/1":
            item = re.search(r"#item-(\d+)$", record.get("location", ""))
            rejected.add(int(item.group(1)) - 1 if item else -1)
        elif "decoded" in record:
            charset = record["decoded"].split(" ")[0]
    entries, queue = [], list(posts)
    if -1 not in rejected:
        index = 0
        while queue:
            entries.append(None if index in rejected else queue.pop(0))
            index += 1
    return data, entries, charset


def holds(kind, clause, data, entries, charset):
    nodes = [clause.left] + clause.comparators if isinstance(clause, ast.Compare) else []
    if kind == "charset":
        expected = next(n.value for n in nodes if isinstance(n, ast.Constant))
        if charset is None:
            return False
        try:
            ours = data.decode(charset.lower(), errors="strict")
            theirs = data.decode(expected, errors="strict")
        except (LookupError, UnicodeDecodeError):
            return False
        return ours.lstrip("\ufeff") == theirs.lstrip("\ufeff")
    simple = bool(nodes) and all(is_literal(n) or entry_ref(n) for n in nodes)
    if kind == "text" and not simple:
        texts = [{k: (e or {}).get("text", "") for k in TEXT_KEYS} for e in entries]
        try:
            return bool(eval(compile(ast.Expression(clause), "<expect>", "eval"), {"entries": texts, "ord": ord}))
        except (IndexError, KeyError, TypeError, ValueError):
            return False
    if not simple:
        return False
    literals = [ast.literal_eval(n) for n in nodes if entry_ref(n) is None]
    refs = [entry_ref(n) for n in nodes if entry_ref(n) is not None]
    if len(literals) != 1:
        return False
    expected = literals[0]
    for index, key in refs:
        post = entries[index] if index < len(entries) else None
        if post is None:
            return False
        if key == "title":
            ok = squeeze(post.get("title")) in (squeeze(expected), plain(expected))
        elif key == "link":
            ok = post.get("url") == expected
        elif key == "id":
            ok = post.get("id") in (expected, SOURCE + ":" + expected)
        elif key in TEXT_KEYS:
            ok = squeeze(post.get("text")) in (squeeze(expected), plain(expected))
        else:
            try:
                ok = (not post.get("publishedAtUnknown")
                      and instant_of(post["publishedAt"]) == instant_of(expected))
            except (TypeError, ValueError, KeyError):
                ok = False
        if not ok:
            return False
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, type=pathlib.Path, help="feedparser's tests/ folder")
    parser.add_argument("--command", required=True, help="the reader, e.g. 'bin/opinion-watch try-source'")
    parser.add_argument("--details", type=pathlib.Path, help="write each clause and whether it held, as JSON Lines")
    options = parser.parse_args()
    details = options.details.open("w") if options.details else None
    print(f"{'folder':10} {'held':>5} {'of':>5} {'share':>7}   by kind")
    total_held = total = 0
    for folder, relative in FOLDERS.items():
        held = count = 0
        kinds = {}
        for path in sorted((options.corpus / relative).glob("*.xml")):
            text = text_of(path.read_bytes())
            expect = re.search(r"Expect:\s*(.*?)\s*-->", text, re.DOTALL)
            if not expect:
                continue
            measured = [(in_scope(c, folder), c) for c in clauses(expect.group(1))]
            measured = [(k, c) for k, c in measured if k]
            if not measured:
                continue
            data, entries, charset = run(options.command, options.corpus, path)
            for kind, clause in measured:
                ok = holds(kind, clause, data, entries, charset)
                held += ok
                count += 1
                kinds.setdefault(kind, [0, 0])
                kinds[kind][0] += ok
                kinds[kind][1] += 1
                if details:
                    details.write(json.dumps({"folder": folder, "file": path.name, "kind": kind,
                                              "clause": ast.unparse(clause), "held": ok}, ensure_ascii=False) + "\n")
        total_held += held
        total += count
        by_kind = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(kinds.items()))
        print(f"{folder:10} {held:5} {count:5} {held / count if count else 0:7.0%}   {by_kind}", flush=True)
    print(f"{'all':10} {total_held:5} {total:5} {total_held / total if total else 0:7.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
