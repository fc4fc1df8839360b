#!/usr/bin/env python3
"""Writes a synthetic catalog and interaction log of a given size, for checking that the evaluation command
keeps within its time budget (5,000 users x 5,000 items x 500,000 interactions in under 5 minutes on 2 cores):

    python3 make_synthetic_log.py /tmp/synthetic 5000 5000 500000
    dotnet run --project Recommender -- evaluate --items /tmp/synthetic/items.csv --interactions /tmp/synthetic/interactions.csv

Users prefer a few of 50 item groups, popular items are more popular (Zipf-like), and about a third of a user's
events repeat an item they had before, so every method has some signal. Deterministic (fixed seed). Not committed output.
"""
import csv, os, random, sys
from datetime import datetime, timedelta, timezone

out, users, items, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(42)
os.makedirs(out, exist_ok=True)
groups = 50
words = ["mug", "lamp", "candle", "frame", "bag", "card", "box", "tin", "light", "heart", "star", "garden", "vintage", "pink", "blue", "paper"]
item_group = [rng.randrange(groups) for _ in range(items)]
by_group = [[i for i in range(items) if item_group[i] == g] for g in range(groups)]
weight = [1.0 / (1 + (i % 997)) ** 0.8 for i in range(items)]

with open(os.path.join(out, "items.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["item_id", "title", "description", "category"])
    for i in range(items):
        title = " ".join(rng.sample(words, 3)) + f" {i}"
        w.writerow([f"I{i}", title, f"{title}, group {item_group[i]}", f"group {item_group[i]}"])

start = datetime(2024, 1, 1, tzinfo=timezone.utc)
per_user = max(1, events // users)
with open(os.path.join(out, "interactions.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["user_id", "item_id", "timestamp", "event"])
    for u in range(users):
        liked = rng.sample(range(groups), 3)
        history = []
        for _ in range(per_user):
            if history and rng.random() < 0.33:
                item = rng.choice(history)
            else:
                pool = by_group[rng.choice(liked)] if rng.random() < 0.8 else range(items)
                pool = list(pool)
                item = rng.choices(pool, weights=[weight[i] for i in pool])[0]
            history.append(item)
            when = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
            w.writerow([f"U{u}", f"I{item}", when.strftime("%Y-%m-%dT%H:%M:%SZ"), rng.choice(["view", "view", "cart", "purchase"])])
