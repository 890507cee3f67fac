"""Peak memory of `gazette serve` on a big site, and how soon its search index reflects a
save: start the preview, wait until it serves the index, save an edit to one story, wait
until a part of the index changes, stop. /usr/bin/time gives the peak.

    python3 benches/serve_search.py SITE GAZETTE_BINARY STORY   (from benches/search.sh)
"""
import json, os, subprocess, sys, time, urllib.request

site, gazette, story = sys.argv[1], sys.argv[2], sys.argv[3]
port = 1199
def get(path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
            return r.read()
    except Exception:
        return None
def entries():
    parts = get("/pagefind/parts.json")
    if not parts: return None
    parts = json.loads(parts)
    folders = ["/pagefind/"] + [f"/pagefind/parts/{p}/" for p in parts["recent"] + parts["older"]]
    return {f: get(f + "pagefind-entry.json") for f in folders}
def stop(why=None):
    # To the preview itself (a child of /usr/bin/time, which then reports). Not Ctrl-C's
    # SIGINT: a shell runs background jobs with it ignored, and so would the preview be.
    subprocess.run(["pkill", "-TERM", "-P", str(p.pid)])
    if why:
        sys.exit(why)

p = subprocess.Popen(["/usr/bin/time", "-f", "%M KB peak", gazette, "serve", "--root", site, "--port", str(port)],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
t0 = time.time()
while entries() is None:
    if time.time() - t0 > 600: stop("no index after 10 minutes")
    time.sleep(0.5)
print(f"index served {time.time() - t0:.1f} s after start", end="; ")
# A save at once after the index first appeared once went unseen (the watcher may start
# after the server); a few seconds' wait measures the steady state.
time.sleep(5)
before = entries()
story = os.path.join(site, story)
text = open(story).read()
open(story, "w").write(text + "\n独角兽测试词出现在这里。\n")
t1 = time.time()
while True:
    now = entries()
    if now and now != before: break
    if time.time() - t1 > 60: stop("the index did not change within 60 s")
    time.sleep(0.2)
print(f"index changed {time.time() - t1:.1f} s after the save", end="; ")
time.sleep(2)
stop()
_, err = p.communicate(timeout=60)
print([l for l in err.splitlines() if "peak" in l][-1])
