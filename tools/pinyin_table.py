#!/usr/bin/env python3
"""Makes src/text/pinyin/{chars,words}.tsv from mozillazg's pinyin data.

Usage: tools/pinyin_table.py CHARS WORDS [PATCHES...]
  CHARS: pinyin-data's pinyin.txt (`U+4E2D: zhōng,zhòng  # 中`)
  WORDS: phrase-pinyin-data's large_pinyin.txt (`长江: cháng jiāng`)
  PATCHES: more files in either format, applied last (later lines win)

Gazette reads a word from these tables instead of loading the whole phrase data into
memory at start-up: `chars.tsv` is each character's common reading; `words.tsv` only the
words whose reading differs from their characters' common readings (重庆, 银行), since
every other word reads as its characters do. Readings are toneless, `ü` written `v`, as
in URLs. Both files are sorted by UTF-8 bytes, so the program can binary-search them.

The data is mozillazg's (https://github.com/mozillazg/pinyin-data and
https://github.com/mozillazg/phrase-pinyin-data, MIT licence); the tables in the repo
were made from version 0.12.0 with the patches pinyin-converter 0.1 applies.
"""
import sys
import unicodedata


def toneless(syllable):
    out = []
    for c in unicodedata.normalize("NFD", syllable):
        if c == "\u0308" and out and out[-1] == "u":
            out[-1] = "v"
        elif unicodedata.combining(c):
            continue
        elif c == "ü":
            out.append("v")
        else:
            out.append(c)
    return "".join(out).lower()


def rows(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line or ":" not in line:
                continue
            key, value = line.split(":", 1)
            key = key.strip()
            if key.startswith("U+"):
                key = chr(int(key[2:], 16))
            yield key, value.strip()


def main():
    chars_path, words_path, *patches = sys.argv[1:]
    chars = {}
    words = {}
    for path in [chars_path, words_path, *patches]:
        for key, value in rows(path):
            if len(key) == 1:
                first = value.replace(",", " ").split()[0]
                chars[key] = toneless(first)
            else:
                words[key] = [toneless(s) for s in value.split()]
    exceptions = {}
    for word, reading in words.items():
        if len(reading) != len(word) or not all(c in chars for c in word):
            continue  # not one syllable per Han character: not a word this table reads
        if not all(s.isascii() and s.isalpha() for s in reading):
            continue
        if reading != [chars[c] for c in word]:
            exceptions[word] = " ".join(reading)
    out = "src/text/pinyin"
    write(f"{out}/chars.tsv", {c: r for c, r in chars.items() if r.isascii() and r.isalpha()})
    write(f"{out}/words.tsv", exceptions)


def write(path, table):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for key in sorted(table, key=lambda k: k.encode("utf-8")):
            f.write(f"{key}\t{table[key]}\n")


if __name__ == "__main__":
    main()
