#!/usr/bin/env python3
"""Adds the product id to shared/data/sentiment-dev/reviews_dev.csv, so that the sentiment head can be trained and
cross-validated with products kept apart (the first rows of the source are grouped by product: a random split would
put reviews of the same coffee in training and test).

usage: add_product_groups.py SENTIMENT_DEV_DIR OUT.csv [POSITIVES]
  -> OUT.csv with columns text,rating,group. With POSITIVES, every 1-3 star review is kept but only the POSITIVES
     4-5 star reviews with the smallest sha256("pos:" + text) (the set is 77% positive; embedding all of them
     on a 2-core machine costs time and adds little once classes are weighted).
Uses the dataset's own build.py (clean/join) so the texts match reviews_dev.csv byte for byte.
"""
import csv, hashlib, os, sys

src_dir, out = sys.argv[1], sys.argv[2]
positives = int(sys.argv[3]) if len(sys.argv) > 3 else None
sys.path.insert(0, src_dir)
import build  # noqa: E402  (the dataset's converter)

product_of = {}
with open(os.path.join(src_dir, "source", "Reviews.csv"), encoding="utf-8", newline="") as f:
    reader = csv.reader(f)
    next(reader)
    for r in reader:
        text = build.join(build.clean(r[8]), build.clean(r[9]))
        product_of.setdefault(text, r[1])

rows, missing = [], 0
with open(os.path.join(src_dir, "reviews_dev.csv"), encoding="utf-8", newline="") as f:
    reader = csv.DictReader(f)
    for r in reader:
        product = product_of.get(r["text"])
        if product is None:
            missing += 1
            continue
        rows.append((r["text"], r["rating"], product))

if positives is not None:
    pos = sorted((r for r in rows if int(r[1]) >= 4), key=lambda r: hashlib.sha256(("pos:" + r[0]).encode("utf-8")).hexdigest())
    keep = set(r[0] for r in pos[:positives])
    rows = [r for r in rows if int(r[1]) <= 3 or r[0] in keep]

with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["text", "rating", "group"])
    w.writerows(rows)
print(f"{len(rows)} rows, {len(set(p for _, _, p in rows))} products, {missing} without a product")
