"""Median of several wrk --latency outputs as one JSON line."""
import json
import re
import statistics
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
SIZE = {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1.0, "GB": 1024.0}


def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    return float(m.group(1)) * UNITS[m.group(2)]


def parse(path):
    text = open(path).read()
    out = {}
    out["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    t = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", text)
    out["mb_s"] = float(t.group(1)) * SIZE[t.group(2)]
    for p in ("50", "99"):
        out[f"p{p}_ms"] = ms(re.search(rf"\s{p}(?:\.000)?%\s+([\d.]+(?:us|ms|s))", text).group(1))
    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx"] = int(errs.group(1)) if errs else 0
    sock = re.search(r"Socket errors: (.*)", text)
    out["socket_errors"] = sock.group(1) if sock else ""
    return out


runs = [parse(p) for p in sys.argv[2:]]
summary = {"bench": "wrk", "name": sys.argv[1], "runs": len(runs)}
for key in ("rps", "mb_s", "p50_ms", "p99_ms"):
    summary[key] = round(statistics.median(r[key] for r in runs), 3)
summary["non_2xx"] = sum(r["non_2xx"] for r in runs)
summary["socket_errors"] = [r["socket_errors"] for r in runs if r["socket_errors"]]
print(json.dumps(summary))
