#!/usr/bin/env python3
"""Builds messy.tsv: real (commune, district, province) triples written in the
styles seen in public Vietnamese address data (see README.md).

Usage: make_corpus.py REFERENCE_DIR LEGACY_TRIPLES.csv... > messy.tsv

REFERENCE_DIR holds the GSO legacy commune list and the alias tables of
tranngocminhhieu/vietnamadminunits (the same files admin/internal/gen reads);
LEGACY_TRIPLES.csv are ward,district,province lists of addresses written
between 2020 and 2025 (scripts/testing_package/data/input/*.csv of the same
repository). The expected legacy code of each row is computed here from the
GSO list (and, for an old name, from the alias table's successor), never by
the Go parser under test. Deterministic (fixed seed).
"""
import csv
import random
import re
import sys
import unicodedata

rnd = random.Random(20251129)


def fold(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D").lower()
    s = re.sub(r"['’`]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return " ".join(str(int(w)) if w.isdigit() else w for w in s.split())


def squash(s):
    return fold(s).replace(" ", "")


def strip(name, levels):
    for l in levels:
        if name.startswith(l + " "):
            return name[len(l) + 1:]
    return name


COM = ["Xã", "Phường", "Thị trấn"]
DIST = ["Quận", "Huyện", "Thị xã", "Thành phố"]
PROV = ["Tỉnh", "Thành phố"]

ref = sys.argv[1]
legacy = []
with open(ref + "/units_legacy_63_communes_gso_2025-07-18.csv", encoding="utf-8-sig") as f:
    for r in csv.reader(f):
        if r[0] == "Mã":
            continue
        legacy.append(dict(code=r[0], name=r[1], level=r[3], dcode=r[4], dname=r[5], pcode=r[6], pname=r[7]))
by_triple = {}
by_dist_sq = {}
dists = {}
for c in legacy:
    k = (fold(strip(c["name"], COM)), fold(strip(c["dname"], DIST)), fold(strip(c["pname"], PROV)))
    by_triple.setdefault(k, []).append(c)
    by_dist_sq[(squash(c["pname"]), squash(c["dname"]), squash(c["name"]))] = c
    dists[(squash(c["pname"]), squash(c["dname"]))] = c
prov_key = {fold(strip(c["pname"], PROV)): squash(c["pname"]) for c in legacy}
dist_key = {(squash(c["pname"]), fold(strip(c["dname"], DIST))): squash(c["dname"]) for c in legacy}
by_pdw = {}
for c in legacy:
    by_pdw.setdefault((squash(c["pname"]), squash(c["dname"]), fold(strip(c["name"], COM))), []).append(c)
dist_alias = {}
with open(ref + "/alias_legacy_district.csv", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        dist_alias[(r["province_key"], r["alias_keyword"])] = r["district_key"]
ward_alias = {}
with open(ref + "/alias_legacy_ward.csv", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        if r["source"] == "typing":
            continue
        ward_alias.setdefault((r["province_key"], r["district_key"], r["alias_keyword"]), []).append(r)


def find(w, d, p):
    """Legacy commune of a written triple, and how it was found."""
    cs = by_triple.get((fold(strip(w, COM)), fold(strip(d, DIST)), fold(strip(p, PROV))))
    if cs and len(cs) == 1:
        return cs[0], "current"
    if cs:
        return None, "ambiguous"
    # An old name: the alias table names its successor.
    pk = prov_key.get(fold(strip(p, PROV)))
    if pk is None:
        return None, "no province"
    dk = dist_key.get((pk, fold(strip(d, DIST))))
    olddist = dk is None
    if dk is None:
        dk = dist_alias.get((pk, squash(strip(d, DIST))))
    if dk is None:
        return None, "no district"
    for key in (squash(w), squash(strip(w, COM))):
        rs = ward_alias.get((pk, dk, key))
        if rs:
            if len({r["ward_key"] for r in rs}) != 1:
                return None, "alias ambiguous"
            c = by_dist_sq.get((pk, dk, rs[0]["ward_key"]))
            if c:
                return c, "alias:" + (rs[0]["year"] or "?")
    if olddist:
        cs = by_pdw.get((pk, dk, fold(strip(w, COM))), [])
        if len(cs) == 1:
            return cs[0], "olddistrict"
    return None, "not found"


# Written by hand after the cases in the issue: a town absorbed by a city
# (Cửa Lò into Vinh, 2025), and old communes of districts whose name is now a
# 2025 commune (Chiêm Hóa).
HAND = [
    ("Phường Nghi Hương", "Thị xã Cửa Lò", "Nghệ An", "P. Nghi Hương Thị xã Cửa Lò, Nghệ An"),
    ("Phường Nghi Thủy", "Cửa Lò", "Nghệ An", "Nghi Thủy, TX Cửa Lò, NA Nghệ An"),
    ("Phường Thu Thủy", "Thị xã Cửa Lò", "Nghệ An", "Khối 4 Thu Thủy Cửa Lò Nghệ An"),
    ("Phú Bình", "Chiêm Hóa", "Tuyên Quang", "Nà Làng Phú Bình, Chiêm Hoá, Tuyên Quang"),
    ("Xã Hòa Phú", "Huyện Chiêm Hóa", "Tuyên Quang", "Thôn Nà Ngà, xã Hòa Phú, huyện Chiêm Hóa, Tuyên Quang"),
    ("Xã Yên Nguyên", "Huyện Chiêm Hóa", "Tuyên Quang", "Yên Nguyên Chiêm Hóa Tuyên Quang"),
]
for w, d, p, text in HAND:
    c, how = find(w, d, p)
    if c is None:
        print("hand row not found:", w, d, p, how, file=sys.stderr)
        continue
    cls = "history" if how != "current" else "name2025"
    rows_hand = globals().setdefault("rows_hand", [])
    rows_hand.append((cls, text, c["code"], f"hand-written; {how}"))

triples = []
for path in sys.argv[2:]:
    with open(path, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            triples.append((r["ward"], r["district"], r["province"]))
rnd.shuffle(triples)

KEYS = "qwertyuiopasdfghjklzxcvbnm"


def typo(s):
    """One slip of the keyboard inside a name: a letter doubled, dropped,
    replaced, or a digit typed in."""
    words = [i for i, w in enumerate(s.split(" ")) if len(w) >= 4]
    if not words:
        return s
    ws = s.split(" ")
    i = rnd.choice(words)
    w = ws[i]
    j = rnd.randrange(1, len(w) - 1)
    op = rnd.randrange(4)
    if op == 0:
        w = w[:j] + w[j] + w[j:]
    elif op == 1:
        w = w[:j] + w[j + 1:]
    elif op == 2:
        w = w[:j] + rnd.choice(KEYS) + w[j + 1:]
    else:
        w = w[:j] + rnd.choice("0123456789") + w[j:]
    ws[i] = w
    return " ".join(ws)


def noaccent(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", s).replace("đ", "d").replace("Đ", "D")


VILL = ["Thôn 3", "Xóm 2", "Tổ 5", "Ấp Phú Hữu", "Thôn Đông", "Khu 4", "Xóm Mới", "Bản Na", "Tổ dân phố 7", "KP 1B", "Số 12", "ấp 4", "Thôn Bắc Sơn"]


def bare(name, levels):
    return strip(name, levels)


def short_prov(p):
    return strip(p, PROV)


def glued(c):
    w, d, p = bare(c["name"], COM), bare(c["dname"], DIST), short_prov(c["pname"])
    wl = {"Xã": "X", "Phường": "P", "Thị trấn": "TT"}[c["level"]]
    dl = {"Quận": "Q", "Huyện": "H", "Thị xã": "TX", "Thành phố": "TP"}[c["dname"].split(" ")[0] if not c["dname"].startswith("Th") else ("Thị xã" if c["dname"].startswith("Thị xã") else "Thành phố")]
    v = rnd.choice(VILL)
    pats = [
        f"{wl}{w}, {dl}{d}, T {p}",
        f"{wl}.{w},{dl}.{d},Tỉnh{p}",
        f"{wl}{w}  {d} T{p}",
        f"{w}{d}T.{p}",
        f"{v} {w} {d} {p}",
        f"{wl.lower()}.{w} {dl.lower()}.{d} t.{p}",
        f"{c['level']}{w}, {c['dname'].split(' ')[0]}{d},  {p}",
        f"{v}, {wl}{w},{dl.lower()}.{d},Tỉnh{p.replace(' ', '')}",
        f"{noaccent(v)} {noaccent(w)} {noaccent(d)} {noaccent(p)}".lower(),
        f" {w},{dl}.{d},T.{p}.",
    ]
    s = rnd.choice(pats)
    if rnd.random() < 0.4:
        # the typo goes into the commune or district name, never the unit word
        s = s.replace(w, typo(w), 1) if rnd.random() < 0.5 else s.replace(d, typo(d), 1)
    return s


def clean(c):
    v = rnd.choice(VILL)
    pats = [
        f"{c['name']}, {c['dname']}, {c['pname']}",
        f"{v}, {c['name'].lower()}, {c['dname'].lower()}, {c['pname'].lower()}",
        f"{v}, {bare(c['name'], COM)}, {bare(c['dname'], DIST)}, {short_prov(c['pname'])}",
        f"{c['name'].upper()}, {c['dname'].upper()}, {short_prov(c['pname']).upper()}",
    ]
    return rnd.choice(pats)


rows = list(globals().get("rows_hand", []))


def add(cls, text, code, note):
    rows.append((cls, text, code, note))


seen = set()
cur_names = {}
with open(ref + "/units_2025_34_provinces_3321_communes.csv", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        cur_names.setdefault(fold(r["wardShort"]), []).append(r)

counts = {"glued": 0, "clean": 0, "history": 0, "name2025": 0}
limits = {"glued": 95, "clean": 40, "history": 60, "name2025": 45}
for w, d, p in triples:
    c, how = find(w, d, p)
    if c is None or c["code"] in seen:
        continue
    if how.startswith("alias") or how == "olddistrict":
        if counts["history"] >= limits["history"]:
            continue
        seen.add(c["code"])
        counts["history"] += 1
        v = rnd.choice(VILL)
        pats = [f"{v}, {w}, {d}, {p}", f"{w} {d} {p}", f"Xã {bare(w, COM)}, Huyện {bare(d, DIST)}, Tỉnh {bare(p, PROV)}", f"{v} {w}, {d}, {p}"]
        if w.startswith(tuple(COM)):
            pats[2] = f"{w}, {d}, {p}"
        add("history", rnd.choice(pats), c["code"], f"written {w} / {d} / {p} ({how})")
        continue
    dshort = fold(bare(c["dname"], DIST))
    if dshort in cur_names and any(fold(r["provinceShort"]) for r in cur_names[dshort]) and counts["name2025"] < limits["name2025"] and fold(bare(c["name"], COM)) != dshort:
        seen.add(c["code"])
        counts["name2025"] += 1
        v = rnd.choice(VILL)
        pats = [
            f"{v} {bare(c['name'], COM)}, {bare(c['dname'], DIST)}, {short_prov(c['pname'])}",
            f"{bare(c['name'], COM)}, {bare(c['dname'], DIST)}, {short_prov(c['pname'])}",
            f"{c['name']} {bare(c['dname'], DIST)} {short_prov(c['pname'])}",
            f"{v}, {bare(c['name'], COM)} {bare(c['dname'], DIST)}, {c['pname']}",
        ]
        add("name2025", rnd.choice(pats), c["code"], "district name is also a 2025 commune name")
        continue
    for cls in ("glued", "clean"):
        if counts[cls] < limits[cls]:
            seen.add(c["code"])
            counts[cls] += 1
            add(cls, glued(c) if cls == "glued" else clean(c), c["code"], "")
            break

# Numbered wards with the district written in full, by number, or by its
# initials, the way city addresses are written.
HCM_INIT = {"Quận Phú Nhuận": ["PN", "Q.PN", "Phú Nhuận"], "Quận Bình Thạnh": ["Q.BT", "Bình Thạnh", "Q Bình Thạnh"],
            "Quận Gò Vấp": ["GV", "Q.GV", "Gò Vấp"], "Quận Tân Bình": ["TB", "Q.TB", "Tân Bình"]}
numbered = [c for c in legacy if re.fullmatch(r"Phường \d+", c["name"])]
rnd.shuffle(numbered)
hcm_p = ["TP. HCM", "TPHCM", "HCM", "HCMC", "Tp Hồ Chí Minh", "TP.HCM", "Sài Gòn", "tp hcm"]
other_p = {"Tiền Giang": ["T.Giang", "TG", "Tiền Giang"], "Bà Rịa - Vũng Tàu": ["BR-VT", "BRVT", "Bà Rịa Vũng Tàu"],
           "Đắk Lắk": ["ĐăkLăk", "Đăk Lăk", "DakLak"], "Đồng Tháp": ["ĐT", "Đồng Tháp"], "Thừa Thiên Huế": ["T.T.Huế", "TT Huế", "TTH"]}
nn = 0
for c in numbered:
    if nn >= 55:
        break
    if (c["dcode"], "n2") in seen:
        continue
    num = c["name"].split()[1]
    p = short_prov(c["pname"])
    d = c["dname"]
    dnum = re.fullmatch(r"Quận (\d+)", d)
    if p == "Hồ Chí Minh":
        if dnum:
            dw = rnd.choice([f"Q{dnum.group(1)}", f"Quận {dnum.group(1)}", f"Q.{dnum.group(1)}", f"q{dnum.group(1)}"])
        elif d in HCM_INIT:
            dw = rnd.choice(HCM_INIT[d])
        else:
            dw = bare(d, DIST)
        pw = rnd.choice(hcm_p)
    elif p in other_p:
        dw = rnd.choice([bare(d, DIST), "TP " + bare(d, DIST)]) if not dnum else f"Q.{dnum.group(1)}"
        pw = rnd.choice(other_p[p])
    else:
        dw = rnd.choice([bare(d, DIST), d])
        pw = p
    ww = rnd.choice([f"P{num}", f"P.{num}", f"F{num}", f"Phường {num}", f"P.{int(num):02d}", f"phường {num}", f"f.{int(num):02d}"])
    house = rnd.choice(["12 Nguyễn Trãi", "45/3 Lê Lợi", "Số 7 Trần Phú", "289 Lý Thường Kiệt", "", "88/12A Hai Bà Trưng"])
    pats = [f"{house}, {ww}, {dw}, {pw}", f"{house} {ww} {dw} {pw}", f"{ww} {dw}, {pw}", f"{ww},{dw},{pw}"]
    s = rnd.choice(pats).strip(" ,")
    seen.add((c["dcode"], "n2") if (c["dcode"], "n") in seen else (c["dcode"], "n"))
    nn += 1
    add("numbered", s, c["code"], "")

# Short forms of provinces and districts.
SHORT = [
    ("Thành phố Buôn Ma Thuột", "Tỉnh Đắk Lắk", ["BMT", "TP BMT", "Tp.BMT"], ["ĐăkLăk", "Đắk Lắk", "DakLak", "ĐL"]),
    ("Thành phố Cao Lãnh", "Tỉnh Đồng Tháp", ["TP Cao Lãnh", "Cao Lãnh"], ["ĐT", "Đ.Tháp"]),
    ("Thành phố Sa Đéc", "Tỉnh Đồng Tháp", ["Sa Đéc", "TP.Sa Đéc"], ["ĐT", "Đ.Tháp"]),
    ("Thành phố Vũng Tàu", "Tỉnh Bà Rịa - Vũng Tàu", ["TP Vũng Tàu", "Vũng Tàu"], ["BR-VT", "BRVT", "Bà Rịa-Vũng Tàu"]),
    ("Thành phố Bà Rịa", "Tỉnh Bà Rịa - Vũng Tàu", ["TP Bà Rịa", "Bà Rịa"], ["BR-VT", "BRVT"]),
    ("Huyện Phú Vang", "Tỉnh Thừa Thiên Huế", ["Phú Vang", "H.Phú Vang"], ["T.T.Huế", "TT Huế", "TT-Huế"]),
    ("Thị xã Hương Thủy", "Tỉnh Thừa Thiên Huế", ["Hương Thủy", "TX Hương Thủy"], ["T.T.Huế", "TT Huế"]),
    ("Quận 10", "Thành phố Hồ Chí Minh", ["Q10", "Q.10"], ["HCM", "HCMC", "TPHCM"]),
    ("Quận Tân Phú", "Thành phố Hồ Chí Minh", ["Q.Tân Phú", "Tân Phú"], ["HCM", "TP.HCM", "HCMC"]),
    ("Huyện Hóc Môn", "Thành phố Hồ Chí Minh", ["Hóc Môn", "H.Hóc Môn"], ["HCM", "TPHCM"]),
    ("Huyện Đông Anh", "Thành phố Hà Nội", ["Đông Anh", "H.Đông Anh"], ["HN", "TP.HN", "Hà Nội"]),
    ("Quận Hải Châu", "Thành phố Đà Nẵng", ["Q.Hải Châu", "Hải Châu"], ["ĐN", "TP.ĐN", "Đà Nẵng"]),
    ("Huyện Cư M'gar", "Tỉnh Đắk Lắk", ["Cư Mgar", "H.CưM'gar", "Cư M'Gar"], ["ĐăkLăk", "Đắc Lắc", "Đăk Lăk"]),
    ("Thành phố Thủ Dầu Một", "Tỉnh Bình Dương", ["TDM", "TP.TDM", "Thủ Dầu Một"], ["BD", "B.Dương", "Bình Dương"]),
]
ns = 0
for dname, pname, dws, pws in SHORT:
    cs = [c for c in legacy if c["dname"] == dname and c["pname"] == pname and not re.fullmatch(r"Phường \d+", c["name"])]
    rnd.shuffle(cs)
    for c in cs[:4]:
        if c["code"] in seen:
            continue
        seen.add(c["code"])
        w = bare(c["name"], COM)
        wl = rnd.choice([c["name"], w, {"Xã": "X.", "Phường": "P.", "Thị trấn": "TT."}[c["level"]] + w])
        s = rnd.choice([f"{wl}, {rnd.choice(dws)}, {rnd.choice(pws)}", f"{rnd.choice(VILL)} {wl} {rnd.choice(dws)} {rnd.choice(pws)}"])
        add("short", s, c["code"], "")
        ns += 1

w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
w.writerow(["class", "address", "legacy_code", "note"])
for r in rows:
    w.writerow(r)
print(counts, "numbered", nn, "short", ns, file=sys.stderr)
