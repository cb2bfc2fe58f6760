#!/usr/bin/env python3
"""Validate a person-authority gold file (pairs.json / heldout.json) against its persons lists.

Usage:
    python3 gold/authority/check_pairs.py PAIRS.json INPUT [INPUT ...]

INPUT is a TEI file or a directory (every *.xml in it is read). Without INPUTs the
defaults are chosen from the gold file's name:

    pairs.json    testdata/persons/ + sample/tei/frus1964-68v07-excerpt.xml,
                  sample/tei/frus1964-68v29p2.xml, sample/tei/frus1961-63v15-excerpt.xml
    heldout.json  the above + testdata/persons-heldout/

Checks (standard library only):
  * every pair has a, b, same (bool), class (one of the README's classes), reason;
  * every side's (volume, id) exists in the inputs and its `name` is exactly the
    persName text with whitespace runs collapsed to one space (README convention);
  * its `description` equals the text of the item after the <hi rend="strong"> that
    holds the name, collapsed the same way;
  * a and b come from different volumes;
  * no pair occurs twice (in either order);
  * every `damaged` entry exists with that exact name.
Prints one line per problem, then counts by class, and exits 1 if there was a problem.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

TEI = '{http://www.tei-c.org/ns/1.0}'
XMLID = '{http://www.w3.org/XML/1998/namespace}id'
CLASSES = {'middle-initial', 'middle-full', 'transliteration', 'honorific-rank', 'spelling',
           'same-surname-different-person', 'conflicting-initials', 'different-era', 'other'}
WS = re.compile(r'\s+')


def collapse(s):
    return WS.sub(' ', s).strip()


def text_after(parent, child):
    """Text of `parent` that follows `child` (child's tail and all later siblings)."""
    parts = [child.tail or '']
    seen = False
    for el in parent:
        if el is child:
            seen = True
            continue
        if seen:
            parts.append(''.join(el.itertext()))
            parts.append(el.tail or '')
    return ''.join(parts)


def entries_of(path):
    """Return (volume, {id: (name, description)}) for one TEI file."""
    root = ET.parse(path).getroot()
    vol = root.get(XMLID)
    parent = {c: p for p in root.iter() for c in p}
    out = {}
    for pn in root.iter(TEI + 'persName'):
        pid = pn.get(XMLID)
        if pid is None:
            continue
        name = collapse(''.join(pn.itertext()))
        # the <hi rend="strong"> holding the name, and the item holding that hi
        hi = pn
        while hi is not None and not (hi.tag == TEI + 'hi' and hi.get('rend') == 'strong'):
            hi = parent.get(hi)
        desc = None
        if hi is not None:
            item = parent.get(hi)
            if item is not None:
                desc = collapse(text_after(item, hi))
        out[pid] = (name, desc)
    return vol, out


def default_inputs(gold_path):
    here = os.path.dirname(os.path.abspath(gold_path))
    repo = os.path.normpath(os.path.join(here, '..', '..'))
    ins = [os.path.join(repo, 'testdata', 'persons')] + [
        os.path.join(repo, 'sample', 'tei', f) for f in
        ('frus1964-68v07-excerpt.xml', 'frus1964-68v29p2.xml', 'frus1961-63v15-excerpt.xml')]
    if os.path.basename(gold_path) != 'pairs.json':
        ins.append(os.path.join(repo, 'testdata', 'persons-heldout'))
    return ins


def load_inputs(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith('.xml'))
        else:
            files.append(p)
    vols = {}
    for f in files:
        vol, ents = entries_of(f)
        if vol is None:
            print(f'WARN {f}: TEI root has no xml:id, skipped')
            continue
        if vol in vols:
            print(f'WARN {f}: volume {vol} read twice')
        vols.setdefault(vol, {}).update(ents)
    return vols


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    gold_path = argv[1]
    inputs = argv[2:] or default_inputs(gold_path)
    vols = load_inputs(inputs)
    gold = json.load(open(gold_path, encoding='utf-8'))
    problems = 0

    def bad(msg):
        nonlocal problems
        problems += 1
        print('ERROR ' + msg)

    def check_side(i, tag, s):
        for k in ('volume', 'id', 'name', 'description'):
            if k not in s:
                bad(f'pair {i} {tag}: missing {k}')
                return
        v = vols.get(s['volume'])
        if v is None:
            bad(f'pair {i} {tag}: unknown volume {s["volume"]}')
            return
        e = v.get(s['id'])
        if e is None:
            bad(f'pair {i} {tag}: no persName xml:id={s["id"]} in {s["volume"]}')
            return
        if e[0] != s['name']:
            bad(f'pair {i} {tag}: {s["volume"]}#{s["id"]} name {s["name"]!r} != source {e[0]!r}')
        if e[1] is not None and e[1] != s['description']:
            bad(f'pair {i} {tag}: {s["volume"]}#{s["id"]} description {s["description"]!r} != source {e[1]!r}')

    seen = {}
    counts = {}
    for i, p in enumerate(gold.get('pairs', [])):
        for k in ('a', 'b', 'same', 'class', 'reason'):
            if k not in p:
                bad(f'pair {i}: missing {k}')
        if not isinstance(p.get('same'), bool):
            bad(f'pair {i}: same is not a boolean')
        if p.get('class') not in CLASSES:
            bad(f'pair {i}: unknown class {p.get("class")!r}')
        if not str(p.get('reason', '')).strip():
            bad(f'pair {i}: empty reason')
        a, b = p.get('a', {}), p.get('b', {})
        check_side(i, 'a', a)
        check_side(i, 'b', b)
        if a.get('volume') == b.get('volume'):
            bad(f'pair {i}: a and b both from {a.get("volume")}')
        key = frozenset([(a.get('volume'), a.get('id')), (b.get('volume'), b.get('id'))])
        if key in seen:
            bad(f'pair {i}: duplicate of pair {seen[key]}')
        else:
            seen[key] = i
        c = counts.setdefault(p.get('class'), [0, 0])
        c[0 if p.get('same') else 1] += 1

    for j, d in enumerate(gold.get('damaged', [])):
        v = vols.get(d.get('volume'))
        e = v.get(d.get('id')) if v else None
        if e is None:
            bad(f'damaged {j}: no {d.get("volume")}#{d.get("id")}')
        elif e[0] != d.get('name'):
            bad(f'damaged {j}: name {d.get("name")!r} != source {e[0]!r}')
        if not str(d.get('reason', '')).strip():
            bad(f'damaged {j}: empty reason')

    print(f'{gold_path}: {len(gold.get("pairs", []))} pairs, {len(gold.get("damaged", []))} damaged, '
          f'{sum(len(v) for v in vols.values())} entries in {len(vols)} volumes')
    print(f'{"class":32} same:true same:false')
    for c in sorted(counts, key=str):
        print(f'{str(c):32} {counts[c][0]:9} {counts[c][1]:10}')
    t = [sum(x[0] for x in counts.values()), sum(x[1] for x in counts.values())]
    print(f'{"all":32} {t[0]:9} {t[1]:10}')
    print('problems:', problems)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
