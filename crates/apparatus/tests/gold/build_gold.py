#!/usr/bin/env python3
"""Build gold.json: texts are extracted mechanically from sample/ (TEI via
ElementTree, captures by line), the `expected` values are written by hand
below after reading each document. Never fill EXPECTED from parser output.

Key conventions (see src/eval.rs): cable references and telegram numbers
as "21742/Delto 789", "22390", "Secto 10", "CAP 82396", "reftel"; text
references as TEI-style targets "#d40", "#d236fn6",
"frus1964-68v06#d299", "frus1947v06#pg_150"; reading marks as
"kind:reader" ("saw:President", "notation:President").
"""
import json, re, sys, os
import xml.etree.ElementTree as ET

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..')
SAMPLE = os.path.join(ROOT, 'sample')
T = '{http://www.tei-c.org/ns/1.0}'

def ws(s): return re.sub(r'\s+', ' ', s).strip()

def flat(e, skip_notes=True, top=True):
    out = []
    def rec(x, is_top):
        tag = x.tag.replace(T, '')
        if tag in ('note', 'pb') and (skip_notes or tag == 'pb') and not is_top:
            if x.tail: out.append(x.tail)
            return
        if x.text: out.append(x.text)
        for c in x: rec(c, False)
        if x.tail and not is_top: out.append(x.tail)
    rec(e, True)
    return ws(''.join(out))

def cut(s, n=300):
    if len(s) <= n: return s
    i = s.rfind(' ', 0, n)
    return s[:i if i > 0 else n]

def tei_docs(fname):
    root = ET.parse(os.path.join(SAMPLE, 'tei', fname)).getroot()
    vol = root.get('{http://www.w3.org/XML/1998/namespace}id')
    docs = {}
    for d in root.iter(T + 'div'):
        if d.get('type') != 'document': continue
        did = d.get('{http://www.w3.org/XML/1998/namespace}id')
        head = d.find(T + 'head')
        src = [flat(n, skip_notes=False) for n in d.iter(T + 'note') if n.get('type') == 'source']
        notes = [flat(n, skip_notes=False) for n in d.iter(T + 'note') if n.get('type') != 'source']
        opener = ' '.join(flat(c) for c in d if c.tag.replace(T, '') in ('opener', 'dateline'))
        body = ' '.join(flat(c) for c in d if c.tag.replace(T, '') == 'p')
        docs[did] = dict(volume=vol, document=did, origin='tei',
                         heading=flat(head) if head is not None else '',
                         source_note=src[0] if src else '', opener=opener,
                         body_opening=cut(body), notes=notes)
    return docs

def text_doc(fname, volume, document, heading, source_note, body_opening, opener='', notes=()):
    raw = open(os.path.join(SAMPLE, 'text', fname), encoding='utf-8').read()
    for piece in [heading, source_note, body_opening, opener, *notes]:
        assert ws(piece) in ws(raw), (fname, piece[:60])
    return dict(volume=volume, document=document, origin='text', heading=heading,
                source_note=source_note, opener=opener, body_opening=body_opening, notes=list(notes))

def E(**kw):
    base = dict(doc_type=None, **{'from': None}, to=None, repository=None, record_group=None,
                lot=None, decimal_files=[], classification=None, precedence=None, caveats=[],
                code_words=[], repeated_to=[], drafted_by=[], cleared_by=[], approved_by=[],
                reading_marks=[], telegram_numbers=[], cable_references=[], text_references=[])
    if 'frm' in kw: kw['from'] = kw.pop('frm')
    for k in kw: assert k in base, k
    base.update(kw)
    return base

NARA = 'National Archives and Records Administration'
JL = 'Johnson Library'
DOS = 'Department of State'
HP = ['HARVAN', 'Plus']
V6 = 'frus1964-68v06'
V14_61 = 'frus1961-63v14'
V14_64 = 'frus1964-68v14'

EXPECTED = {
 # ---- 1861: no source notes, "Mr. X to Mr. Y" headings ----
 ('frus1861', 'd2'): E(doc_type='circular', frm='Mr. Black (Secretary of State)', to='all the ministers of the United States'),
 ('frus1861', 'd3'): E(doc_type='circular', frm='Mr. Seward (Secretary of State)', to='all the ministers of the United States'),
 ('frus1861', 'd4'): E(doc_type='circular', frm='Mr. Seward', to='ministers of the United States in Great Britain, France, Russia, Prussia, Austria, Belgium, Italy, and Denmark'),
 ('frus1861', 'd5'): E(frm='Mr. Seward', to='Mr. Judd'),
 ('frus1861', 'd6'): E(frm='Mr. Wright', to='Mr. Seward'),
 ('frus1861', 'd10'): E(frm='Mr. Wright', to='Mr. Seward'),
 ('frus1861', 'd11'): E(doc_type='note', frm='Mr. Seward', to='Baron Gerolt'),
 ('frus1861', 'd12'): E(doc_type='note', frm='Baron Gerolt', to='Mr. Seward'),
 # ---- 1949: file-number notes, classification in the opener ----
 ('frus1949v07p1', 'd1'): E(doc_type='telegram', frm='Ambassador in France (Caffery)', to='Acting Secretary of State', decimal_files=['851G.00/1–1449'], classification='Confidential', telegram_numbers=['164'], cable_references=['5398'], text_references=['frus1947v06#pg_150', 'frus1948v06#pg_24']),
 ('frus1949v07p1', 'd2'): E(doc_type='telegram', frm='Acting Secretary of State', to='Embassy in France', decimal_files=['851G.00/1–1049'], classification='Secret', telegram_numbers=['145'], cable_references=['107', '106'], text_references=['frus1948v06#pg_33', 'frus1948v06#pg_31']),
 ('frus1949v07p1', 'd3'): E(doc_type='telegram', frm='Ambassador in France (Caffery)', to='Acting Secretary of State', decimal_files=['851G.00/1–1949'], classification='Restricted', telegram_numbers=['250']),
 ('frus1949v07p1', 'd4'): E(doc_type='telegram', frm='Ambassador in France (Caffery)', to='Acting Secretary of State', decimal_files=['851G.01/1–2049'], classification='Secret', telegram_numbers=['260']),
 ('frus1949v07p1', 'd5'): E(doc_type='telegram', frm='Ambassador in France (Caffery)', to='Secretary of State', decimal_files=['851G.01/2–1849'], classification='Confidential', telegram_numbers=['718']),
 ('frus1949v07p1', 'd6'): E(doc_type='telegram', frm='Secretary of State', to='Embassy in France', decimal_files=['851G.01/2–1849'], classification='Secret', telegram_numbers=['598'], cable_references=['718']),
 ('frus1949v07p1', 'd7'): E(doc_type='telegram', frm='Ambassador in France (Caffery)', to='Secretary of State', decimal_files=['851G.00/2–2549'], classification='Restricted', telegram_numbers=['807']),
 ('frus1949v07p1', 'd8'): E(doc_type='telegram', frm='Ambassador in France (Caffery)', to='Secretary of State', decimal_files=['851G.01/3–649'], classification='Secret', telegram_numbers=['928'], cable_references=['598', '743'], text_references=['#pg_8']),
 ('frus1949v07p1', 'd9'): E(doc_type='telegram', frm='Ambassador in France (Caffery)', to='Secretary of State', decimal_files=['851G.01/3–849'], classification='Restricted', telegram_numbers=['951'], cable_references=['1065', '1077', '1078', '1168', '2608']),
 ('frus1949v07p1', 'd10'): E(doc_type='telegram', frm='Ambassador in France (Caffery)', to='Secretary of State', decimal_files=['851G.01/3–1249'], classification='Confidential', telegram_numbers=['1027'], cable_references=['1031', '1221']),
 ('frus1949v07p1', 'd11'): E(doc_type='telegram', frm='Ambassador in France (Caffery)', to='Secretary of State', decimal_files=['851G.01/3–1649'], classification='Secret', telegram_numbers=['1066'], cable_references=['955', '598'], text_references=['#pg_8']),
 ('frus1949v07p1', 'd12'): E(doc_type='telegram', frm='Consul General at Saigon (Abbott)', to='Secretary of State', decimal_files=['851G.01/3–1749'], classification='Confidential', telegram_numbers=['66']),
 # ---- 1961-63v15: source note n="0" in head ----
 ('frus1961-63v15', 'd1'): E(doc_type='memorandum', frm='President Kennedy', to='Secretary of State Rusk', repository='Kennedy Library', classification='Top Secret', text_references=[V14_61 + '#d277']),
 ('frus1961-63v15', 'd2'): E(doc_type='memorandum', frm='Assistant Secretary of State for European Affairs (Kohler)', to='Secretary of State Rusk', repository=DOS, lot='65 D 533', classification='Secret', drafted_by=['Hillenbrand'], cleared_by=['Bohlen'], text_references=[V14_61 + '#d' + n for n in ['156', '160', '164', '251', '264', '278', '284', '314']]),
 ('frus1961-63v15', 'd3'): E(doc_type='letter', frm='Chairman Khrushchev', to='President Kennedy', repository=DOS, lot='66 D 204', classification='No classification marking', cable_references=['Tosec 9', 'Tosec 10'], text_references=['frus1961-63v06', V14_61 + '#d296', V14_61 + '#d314']),
 ('frus1961-63v15', 'd4'): E(doc_type='telegram', frm='President Kennedy', to='Secretary of State Rusk', repository='Kennedy Library', classification='Secret', caveats=['Eyes Only'], telegram_numbers=['CAP 5114–52'], text_references=['#d3']),
 ('frus1961-63v15', 'd5'): E(doc_type='memorandum', repository=DOS, decimal_files=['762.0221/3–1062'], classification='Secret', cable_references=['Tosec 12']),
 ('frus1961-63v15', 'd6'): E(doc_type='memorandum', repository=DOS, decimal_files=['611.41/3–1162'], classification='Secret', drafted_by=['Kohler'], cable_references=['Secto 10'], text_references=['#d5fn1']),
 ('frus1961-63v15', 'd7'): E(doc_type='memorandum', repository=DOS, decimal_files=['762.00/7–362'], classification='Secret', caveats=['Eyes Only'], drafted_by=['Akalovsky'], cable_references=['Secto 11']),
 ('frus1961-63v15', 'd8'): E(doc_type='memorandum', repository=DOS, decimal_files=['762.00/3–1262'], classification='Secret', caveats=['Eyes Only'], drafted_by=['Akalovsky'], cable_references=['Secto 18', 'Secto 16'], text_references=[V14_61 + '#d33']),
 ('frus1961-63v15', 'd9'): E(doc_type='memorandum', frm='Representative to the Eighteen-Nation Disarmament Committee (Dean)', to='Secretary of State Rusk', repository=DOS, decimal_files=['396.1–GE/3–1362'], classification='Secret', drafted_by=['Dean'], cable_references=['1726']),
 ('frus1961-63v15', 'd10'): E(doc_type='memorandum', repository=DOS, decimal_files=['762.00/3–1362'], classification='Secret', caveats=['Eyes Only'], drafted_by=['Akalovsky'], cable_references=['Secto 29', 'Secto 26'], text_references=[V14_61 + '#d264', '#d8']),
 ('frus1961-63v15', 'd11'): E(doc_type='telegram', frm='Secretary of State Rusk', to='Department of State', repository=DOS, lot='72 D 192', classification='Secret', drafted_by=['Rusk'], cleared_by=['Kohler'], repeated_to=['Berlin'], telegram_numbers=['Secto 27'], cable_references=['36']),
 ('frus1961-63v15', 'd12'): E(doc_type='memorandum', frm='Secretary of State’s Special Assistant (Weiss)', to='Deputy Assistant Secretary of State for Political Affairs (Kitchen)', repository=DOS, decimal_files=['762.00/3–1462'], classification='Top Secret', drafted_by=['Weiss'], cable_references=['SHLO 5–00207', '4889', '1333', '36', 'ALO BW 247'], text_references=['#d11fn2', '#d11']),
 # ---- 1964-68 v07 ----
 ('frus1964-68v07', 'd2'): E(doc_type='telegram', frm='Embassy in France', to='Department of State', repository=NARA, record_group='RG 59', lot='93 D 82', classification='Secret', precedence='Immediate', caveats=['Nodis'], code_words=HP, telegram_numbers=['20314/Delto 682'], text_references=[V6 + '#d332']),
 ('frus1964-68v07', 'd3'): E(doc_type='notes', repository=JL, classification='Top Secret', drafted_by=['Christian'], cable_references=['20340/Delto 668', '20347/Delto 689'], text_references=['#d7']),
 ('frus1964-68v07', 'd4'): E(doc_type='notes', repository=JL, classification='Secret', caveats=['Sensitive', 'For the President Only'], text_references=['frus1964-68v17#d93', V6 + '#d333', V6 + '#d333fn4', V6 + '#d303']),
 ('frus1964-68v07', 'd5'): E(doc_type='notes', repository=JL, classification='No classification marking', text_references=[V6 + '#d345', V6 + '#d333', V6 + '#d333fn4', V6 + '#d337']),
 ('frus1964-68v07', 'd7'): E(doc_type='telegram', frm='Embassy in France', to='Department of State', repository=NARA, record_group='RG 59', lot='93 D 82', classification='Secret', precedence='Flash', caveats=['Nodis'], code_words=HP, telegram_numbers=['20522/Delto 699'], cable_references=['20523/Delto 700'], text_references=[V6 + '#d332']),
 ('frus1964-68v07', 'd10'): E(doc_type='paper', frm='Chairman of the Joint Chiefs of Staff (Wheeler)', repository='Washington National Records Center', classification='Confidential', reading_marks=['saw:Dep. Sec.']),
 ('frus1964-68v07', 'd13'): E(doc_type='memorandum', frm='Robert N. Ginsburgh of the National Security Council Staff', to='President\'s Special Assistant (Rostow)', repository=JL, classification='Secret', caveats=['Nodis'], code_words=HP, cable_references=['20779/Delto 724', '20789/Delto 725', '20657/Delto 714', '20662/Delto 715'], text_references=['#d12fn3']),
 ('frus1964-68v07', 'd14'): E(doc_type='telegram', frm='President\'s Special Assistant (Rostow)', to='President Johnson', repository=JL, classification='Secret', caveats=['Sensitive', 'Literally Eyes Only'], reading_marks=['saw:President'], telegram_numbers=['CAP 82396'], cable_references=['20872/Delto 732', '20873/Delto 733', '20861/Delto 731', '21015/Delto 745'], text_references=['#d24']),
 ('frus1964-68v07', 'd18'): E(doc_type='memorandum', frm='President\'s Special Assistant (Rostow)', to='President Johnson', repository=JL, caveats=['Literally Eyes Only'], text_references=[V14_64 + '#d299', V14_64 + '#d300', '#d19-d21', '#d14']),
 ('frus1964-68v07', 'd23'): E(doc_type='telegram', frm='Department of State', to='Embassy in France', repository=NARA, record_group='RG 59', lot='93 D 82', classification='Top Secret', caveats=['Nodis'], code_words=HP, drafted_by=['Bundy'], cleared_by=['Harriman', 'Rostow', 'Katzenbach', 'Clifford', 'Read'], approved_by=['Rusk'], telegram_numbers=['240579/Todel 1107'], cable_references=['233437', '233437/Todel 1045'], text_references=['#d14']),
 ('frus1964-68v07', 'd28'): E(doc_type='telegram', frm='Embassy in Norway', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', precedence='Immediate', caveats=['Nodis'], code_words=['Ohio', 'Plus'], repeated_to=['Paris'], telegram_numbers=['6688'], cable_references=['242980', '6689', '6713']),
 ('frus1964-68v07', 'd29'): E(doc_type='telegram', frm='Department of State', to='Embassy in Norway', repository=NARA, record_group='RG 59', classification='Secret', precedence='Priority', caveats=['Nodis'], code_words=['Ohio', 'Plus'], drafted_by=['Bundy'], cleared_by=['Rusk', 'Katzenbach', 'Rostow'], approved_by=['Bundy', 'Read'], repeated_to=['Paris'], telegram_numbers=['242960'], cable_references=['6685', '6634'], text_references=['#d25']),
 ('frus1964-68v07', 'd33'): E(doc_type='telegram', frm='Embassy in Norway', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', precedence='Immediate', caveats=['Nodis'], code_words=['Ohio', 'Plus'], repeated_to=['Paris'], telegram_numbers=['6752'], cable_references=['243111', '6725', '6737', '6745', '6808', '6762']),
 ('frus1964-68v07', 'd44'): E(doc_type='telegram', frm='Embassy in Vietnam', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', precedence='Immediate', caveats=['Nodis'], repeated_to=['Paris'], telegram_numbers=['39276'], cable_references=['39342', '37862', '246778']),
 ('frus1964-68v07', 'd45'): E(doc_type='telegram', frm='Embassy in France', to='Department of State', repository=NARA, record_group='RG 59', lot='93 D 82', classification='Secret', precedence='Immediate', caveats=['Nodis'], code_words=HP, repeated_to=['USUN'], telegram_numbers=['21737/Delto 788'], cable_references=['21742/Delto 789'], text_references=['#d40', '#d32']),
 ('frus1964-68v07', 'd46'): E(doc_type='memorandum', frm='President\'s Special Assistant (Rostow)', to='President Johnson', repository=JL, classification='Secret', caveats=['Sensitive'], reading_marks=['notation:President'], text_references=['#d38', V6 + '#d299']),
 ('frus1964-68v07', 'd47'): E(doc_type='memorandum', frm='President\'s Special Assistant (Rostow)', to='President Johnson', repository=JL, classification='Top Secret', caveats=['Literally Eyes Only'], text_references=[V14_64 + '#d300', V14_64 + '#d308', V14_64 + '#d309']),
 # ---- 1964-68 v29p2 (complete volume) ----
 ('frus1964-68v29p2', 'd8'): E(doc_type='memorandum', frm='Executive Secretary of the National Security Council (Smith)', to='President Johnson', repository=JL, classification='No classification marking', reading_marks=['saw:President']),
 ('frus1964-68v29p2', 'd10'): E(doc_type='telegram', frm='Embassy in Japan', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', caveats=['Nodis'], telegram_numbers=['2541'], cable_references=['2481']),
 ('frus1964-68v29p2', 'd11'): E(doc_type='telegram', frm='Department of State', to='Embassy in Japan', repository=NARA, record_group='RG 59', classification='Secret', caveats=['Nodis'], drafted_by=['Rusk'], cleared_by=['Green', 'Read'], approved_by=['Rusk'], telegram_numbers=['2268'], cable_references=['2541', '2605'], text_references=['#d10']),
 ('frus1964-68v29p2', 'd17'): E(doc_type='telegram', frm='Embassy in Japan', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', caveats=['Exdis', 'No Distribution Outside Department'], telegram_numbers=['77'], text_references=['#d14fn3', '#d16', 'frus1961-63v22#d338']),
 ('frus1964-68v29p2', 'd19'): E(doc_type='telegram', frm='Embassy in Japan', to='Department of State', repository=NARA, record_group='RG 59', classification='Confidential', repeated_to=['CINCPAC', 'COMUSJAPAN'], telegram_numbers=['354'], cable_references=['437', '583', '488', '632'], text_references=['frus1961-63v22#d334']),
 ('frus1964-68v29p2', 'd20'): E(doc_type='letter', frm='Ambassador to Japan (Reischauer)', to='Assistant Secretary of State for Far Eastern Affairs (Bundy)', repository=NARA, record_group='RG 59', classification='Confidential', caveats=['Official–Informal'], reading_marks=['saw:Bundy']),
 ('frus1964-68v29p2', 'd30'): E(doc_type='letter', frm='Director of Central Intelligence (McCone)', to='President\'s Special Assistant for National Security Affairs (Bundy)', repository=JL, classification='No classification marking'),
 ('frus1964-68v29p2', 'd36'): E(doc_type='telegram', frm='Secretary of State Rusk', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', caveats=['Limdis'], repeated_to=['Embassy in Tokyo', 'CINCPAC'], telegram_numbers=['Secto 25'], cable_references=['Secto 17', '1986']),
 ('frus1964-68v29p2', 'd45'): E(doc_type='telegram', frm='Embassy in Japan', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', caveats=['Limdis'], repeated_to=['CINCPAC', 'CINCPACFLT', 'COMSEVENTHFLT', 'COMNAVFORJAPAN'], telegram_numbers=['3163'], cable_references=['2485', '797']),
 ('frus1964-68v29p2', 'd47'): E(doc_type='telegram', frm='Embassy in Japan', to='Department of State', repository=NARA, record_group='RG 59', classification='Confidential', telegram_numbers=['3893'], cable_references=['3856']),
 ('frus1964-68v29p2', 'd72'): E(doc_type='telegram', frm='Embassy in Japan', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', precedence='Priority', caveats=['Limdis'], repeated_to=['Taipei'], telegram_numbers=['46'], cable_references=['3687', 'reftel', '3691']),
 ('frus1964-68v29p2', 'd80'): E(doc_type='telegram', frm='Secretary of State Rusk', to='President Johnson', repository=NARA, record_group='RG 59', classification='Secret', caveats=['Nodis', 'Eyes Only'], reading_marks=['saw:President'], telegram_numbers=['Secto 21/1716']),
 ('frus1964-68v29p2', 'd109'): E(doc_type='telegram', frm='Department of State', to='Embassy in Japan', repository=NARA, record_group='RG 59', classification='Secret', precedence='Flash', caveats=['Exdis'], cleared_by=['Berger', 'Davis'], approved_by=['Enders'], telegram_numbers=['91702']),
 ('frus1964-68v29p2', 'd115'): E(doc_type='telegram', frm='Department of State', to='Embassy in Japan', repository=DOS, classification='Secret', caveats=['Nodis'], drafted_by=['Rusk'], cleared_by=['Berger', 'Read'], approved_by=['Rusk'], telegram_numbers=['116921']),
 ('frus1964-68v29p2', 'd116'): E(doc_type='telegram', frm='Embassy in Japan', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', precedence='Priority', caveats=['Nodis', 'Eyes Only'], telegram_numbers=['5692'], cable_references=['116921', '5638', '118512'], text_references=['#d115']),
 ('frus1964-68v29p2', 'd128'): E(doc_type='telegram', frm='Department of State', to='Embassy in Japan', repository=NARA, record_group='RG 59', classification='Secret', caveats=['Limdis'], drafted_by=['Seligmann', 'Sneider'], cleared_by=['Halperin', 'Steadman', 'Adm. Vannoy', 'Wolf', 'Gammon'], approved_by=['Sneider'], repeated_to=['COMUSFJ'], telegram_numbers=['198179'], cable_references=['233292'], text_references=['#d131']),
 ('frus1964-68v29p2', 'd133'): E(doc_type='telegram', frm='Embassy in Japan', to='Department of State', repository=NARA, record_group='RG 59', classification='Confidential', caveats=['Exdis'], repeated_to=['USUN'], telegram_numbers=['12589'], cable_references=['12504', 'reftel', '6886', '6888', '249671']),
 ('frus1964-68v29p2', 'd140'): E(doc_type='telegram', frm='Embassy in Japan', to='Department of State', repository=NARA, record_group='RG 59', classification='Secret', caveats=['Exdis'], telegram_numbers=['212'], cable_references=['267']),
}

def text_entries():
    out = []
    def add(e, exp):
        e['expected'] = exp
        out.append(e)
    add(text_doc('frus1940v04_d391.txt', 'frus1940v04', 'd391',
                 'The Ambassador in Japan (Grew) to the Secretary of State', '711.94/1530: Telegram',
                 '447. My 429, June 10, 6 p.m.65 The Minister for Foreign Affairs has sent me as an “informal, oral and unofficial statement” a document marked strictly confidential, the text of which in translation is contained in our immediately following telegram 4[48], June 12, 11 p.m.66 He wishes me to understand',
                 notes=['Not printed, but see memoranda from the Ambassador in Japan, June 10, Foreign Relations, Japan, 1931–1941, vol. ii, pp. 67, 71, 73, and 75.', 'Ibid., p. 79.']),
        E(doc_type='telegram', frm='Ambassador in Japan (Grew)', to='Secretary of State', decimal_files=['711.94/1530'], telegram_numbers=['447'], cable_references=['429', '448'],
          text_references=['frus1931-41v02#pg_67', 'frus1931-41v02#pg_71', 'frus1931-41v02#pg_73', 'frus1931-41v02#pg_75', 'frus1931-41v02#pg_79']))
    add(text_doc('frus1946v07_d657.txt', 'frus1946v07', 'd657',
                 'The Acting Secretary of State to the Ambassador in Turkey (Wilson)', '767.68119/8–1246: Telegram',
                 '577. Dept giving close study to Soviet note Aug 7 and appreciates helpful comments urtels 853 Aug 10 and 856 Aug 12. In view magnitude issues involved Dept has requested War and Navy comment59 and is awaiting this and outcome Secstate’s conversations with Bevin in Paris (see London’s 63 Aug 13 to Ankara60) before instructing you re US views.',
                 notes=['Department’s letters dated August 13 not printed.', 'Sent as telegram 7418 to the Department, not printed.']),
        E(doc_type='telegram', frm='Acting Secretary of State', to='Ambassador in Turkey (Wilson)', decimal_files=['767.68119/8–1246'], telegram_numbers=['577'], cable_references=['853', '856', '63', '7418']))
    add(text_doc('frus1918Russiav01_d289.txt', 'frus1918Russiav01', 'd289',
                 'The Secretary of State to the Ambassador in Russia ( Francis)', 'File No. 763.72119/987',
                 '1891. Your 2061, December 8, 9 p.m.,1 has been transmitted, although manifestly improper in character, as it enunciates views utterly at variance with announced policy of this Government.',
                 notes=['Ante, p. 284.']),
        E(frm='Secretary of State', to='Ambassador in Russia (Francis)', decimal_files=['763.72119/987'], telegram_numbers=['1891'], cable_references=['2061'], text_references=['#pg_284']))
    add(text_doc('frus1964-68v22_d262.txt', 'frus1964-68v22', 'd262',
                 '262. Telegram From the Department of State to the Embassy in Iran1',
                 'Source: Department of State, Central Files, POL IRAN–U.S. Secret; Priority; Nodis. Drafted and approved by Rostow on March 4.',
                 '124569. Eyes Only for Ambassador. For Ambassador from Under Secretary Rostow. We are concerned about the atmosphere and the implications of these charges and rumors.'),
        E(doc_type='telegram', frm='Department of State', to='Embassy in Iran', repository=DOS, classification='Secret', precedence='Priority', caveats=['Nodis'], drafted_by=['Rostow'], approved_by=['Rostow'], telegram_numbers=['124569']))
    add(text_doc('frus1961-63v06_d17.txt', 'frus1961-63v06', 'd17',
                 '17. Letter From President Kennedy to Chairman Khrushchev0',
                 'Source: Department of State, Presidential Correspondence: Lot 66 D 204. No classification marking.',
                 'Dear Mr. Chairman: I want to express to you my very great appreciation for your thoughtfulness in sending to me the model of an American whaler, which we discussed while in Vienna.'),
        E(doc_type='letter', frm='President Kennedy', to='Chairman Khrushchev', repository=DOS, lot='66 D 204', classification='No classification marking'))
    add(text_doc('frus1977-80v28_d54.txt', 'frus1977-80v28', 'd54',
                 '54. Note From the President’s Assistant for National Security Affairs (Brzezinski) to President Carter 1',
                 'Source: Carter Library, National Security Affairs, Brzezinski Material, Brzezinski Office File, Box 95, Subject Chron: Intelligence, 8/77. Confidential.',
                 'Mr. President:', notes=['Attached but not printed. See Document 55.', 'Brzezinski added an asterisk after this sentence and wrote at the bottom of the page, “* I will show them the proposed PD.”']),
        E(doc_type='note', frm='President’s Assistant for National Security Affairs (Brzezinski)', to='President Carter', repository='Carter Library', classification='Confidential', text_references=['#d55']))
    add(text_doc('frus1955-57v12_d174.txt', 'frus1955-57v12', 'd174',
                 '174. Memorandum of a Conference With the President, Washington, December 19, 1956, 2:30 p.m.1',
                 'Source: Eisenhower Library, Whitman File, DDE Diaries. Secret. Drafted by Goodpaster on December 20.',
                 'The President said he thought we should be devising means of drawing people close to us, for example in the Middle East, and felt that we had unusual opportunities in the present movement.'),
        E(doc_type='memorandum', repository='Eisenhower Library', classification='Secret', drafted_by=['Goodpaster']))
    add(text_doc('frus1943v04_d561.txt', 'frus1943v04', 'd561',
                 'The Secretary of State to the Minister in Iran (Dreyfus)', '891.51A/869: Telegram',
                 '527. You should inform Millspaugh at once that he should take no action until the whole matter is thoroughly discussed through the Legation with the Department. This is obviously a matter of the gravest importance and we are surprised that Millspaugh should have reached any decision without a full and frank interchange of views with the Department. This refers to your 989, October 11, 4 p.m.'),
        E(doc_type='telegram', frm='Secretary of State', to='Minister in Iran (Dreyfus)', decimal_files=['891.51A/869'], telegram_numbers=['527'], cable_references=['989']))
    add(text_doc('frus1936v04_d921.txt', 'frus1936v04', 'd921',
                 'The Ambassador in Japan (Grew) to the Secretary of State', '811.3362i/11: Telegram',
                 '130. Department’s 79, June 18, 6 p.m.', opener='Tokyo, June 20, 1936—11\na.m.'),
        E(doc_type='telegram', frm='Ambassador in Japan (Grew)', to='Secretary of State', decimal_files=['811.3362i/11'], telegram_numbers=['130'], cable_references=['79']))
    add(text_doc('frus1937v03_d577.txt', 'frus1937v03', 'd577',
                 'The Secretary of State to the Ambassador in Japan (Grew)', '793.94/9947a: Telegram',
                 '192. Please telegraph me your estimate of the bearing of the statements made in the addresses at the opening of the Diet6 upon the question of the existence of a “state of war”'),
        E(doc_type='telegram', frm='Secretary of State', to='Ambassador in Japan (Grew)', decimal_files=['793.94/9947a'], telegram_numbers=['192']))
    add(text_doc('frus1914-20v01_d634.txt', 'frus1914-20v01', 'd634',
                 'The Ambassador in Germany (Gerard) to the Secretary of State', '763.72/2473½',
                 'Dear Mr. Secretary: I had the grippe, went to Partenkirchen for a few days, but the first night in country air since July 1914 was too much for me'),
        E(frm='Ambassador in Germany (Gerard)', to='Secretary of State', decimal_files=['763.72/2473½']))
    add(text_doc('frus1862_d5.txt', 'frus1862', 'd5', 'Mr. Seward to Mr. Adams.', '',
                 'Sir: Your despatch of November 22, No. 75, was duly received.', opener='No. 144.]\nDepartment of State, Washington,\nDecember 13, 1861.'),
        E(frm='Mr. Seward', to='Mr. Adams'))
    # The two seeds (live-site captures, format A).
    seed0 = open(os.path.join(SAMPLE, 'seeds', '000_b59939755342e843.txt'), encoding='utf-8').read()
    seed3 = open(os.path.join(SAMPLE, 'seeds', '003_5b44302af4495d90.txt'), encoding='utf-8').read()
    def foot(seed, n):
        m = re.search(r'^  %d\. (.*)$' % n, seed, re.M)
        return m.group(1)
    add(dict(volume='frus1964-68v07', document='d45', origin='seed 000', heading=seed0.split('\n')[0],
             source_note=foot(seed0, 1), opener='', body_opening='21737/Delto 788. From Harriman and Vance.',
             notes=[foot(seed0, n) for n in range(2, 6)]),
        E(doc_type='telegram', frm='Embassy in France', to='Department of State', repository=NARA, record_group='RG 59', lot='93 D 82', classification='Secret', precedence='Immediate', caveats=['Nodis'], code_words=HP, repeated_to=['USUN'], telegram_numbers=['21737/Delto 788'], cable_references=['21742/Delto 789'], text_references=['#d40', '#d32']))
    add(dict(volume='frus1964-68v03', document='d261', origin='seed 003', heading=seed3.split('\n')[0],
             source_note=foot(seed3, 1), opener='', body_opening='SUBJECT', notes=[foot(seed3, n) for n in range(2, 5)]),
        E(doc_type='memorandum', repository='Library of Congress', classification='No classification marking', drafted_by=['Harriman'], text_references=['#d256', '#d236fn6']))
    return out

def main():
    docs = {}
    for f in ['frus1861-excerpt.xml', 'frus1949v07p1-excerpt.xml', 'frus1961-63v15-excerpt.xml',
              'frus1964-68v07-excerpt.xml', 'frus1964-68v29p2.xml']:
        for d in tei_docs(f).values():
            docs[(d['volume'], d['document'])] = d
    entries = []
    for key, exp in EXPECTED.items():
        e = dict(docs[key])
        e['expected'] = exp
        entries.append(e)
    entries.extend(text_entries())
    gold = dict(description=__doc__.strip(), entries=entries)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gold.json')
    with open(path, 'w', encoding='utf-8') as fh:
        json.dump(gold, fh, ensure_ascii=False, indent=1)
        fh.write('\n')
    by_era = {}
    for e in entries:
        by_era[e['volume']] = by_era.get(e['volume'], 0) + 1
    print(len(entries), by_era)

if __name__ == '__main__':
    main()
